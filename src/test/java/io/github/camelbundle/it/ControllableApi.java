package io.github.camelbundle.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.camelbundle.model.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the analytics API between the pipeline and the real one, that tests can make
 * misbehave: answer 503 (with or without Retry-After), 401, 404, refuse batches holding given records,
 * or corrupt given records so the real API rejects them. Otherwise it forwards to the real API.
 * Loopback only.
 */
final class ControllableApi implements AutoCloseable {

    enum Mode { FORWARD, UNAVAILABLE, UNAUTHORIZED, HALF_UNAVAILABLE }

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private volatile String target;
    private volatile Mode mode = Mode.FORWARD;
    private volatile String retryAfter;
    /** How many more requests get the Retry-After 503 before it forwards again. */
    private final AtomicInteger retryAfterBudget = new AtomicInteger();
    /** How many more requests get a 404, as from an API whose HTTP server is up before its routes. */
    private final AtomicInteger notFoundBudget = new AtomicInteger();
    /** Batches of more than one record holding one of these are refused with 400; alone, with 422. */
    final Set<String> refused = ConcurrentHashMap.newKeySet();
    /** These records are forwarded with a wrong quantity, so the real API rejects them. */
    final Set<String> corrupted = ConcurrentHashMap.newKeySet();
    /** Answers given (in order, one per request, nothing forwarded) before it forwards again. */
    private final Queue<String[]> scripted = new ConcurrentLinkedQueue<>();
    /** Every request gets this status (with a Location header when set) while it is not 0. */
    private volatile int fixedStatus;
    private volatile String fixedLocation;
    /** Arrival time (ms) of every data POST. */
    final List<Long> arrivals = new CopyOnWriteArrayList<>();
    /** Records passed on to the real API, counted per record of each forwarded batch. */
    final AtomicInteger forwardedRecords = new AtomicInteger();

    ControllableApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/analytics/data", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/analytics/data";
    }

    void forwardTo(String baseUrl) {
        this.target = baseUrl + "/analytics/data";
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    void unavailableWithRetryAfter(int requests, String seconds) {
        this.retryAfter = seconds;
        retryAfterBudget.set(requests);
    }

    /** The next request gets this answer instead of being forwarded (several calls queue up). */
    void answerOnce(int status, String body) {
        scripted.add(new String[] {Integer.toString(status), body});
    }

    /** Every request gets {@code status} (0: forward again), with a Location header if not null. */
    void answerAlways(int status, String location) {
        this.fixedLocation = location;
        this.fixedStatus = status;
    }

    void notFoundFor(int requests) {
        notFoundBudget.set(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        arrivals.add(System.currentTimeMillis());
        try {
            if (target == null || mode == Mode.UNAVAILABLE
                    || mode == Mode.HALF_UNAVAILABLE && arrivals.size() % 2 == 0) {
                reply(exchange, 503, "{\"error\":\"unavailable\",\"detail\":\"test outage\"}", null);
                return;
            }
            int fixed = fixedStatus;
            if (fixed != 0) {
                reply(exchange, fixed, "{\"error\":\"test\",\"detail\":\"HTTP " + fixed + "\"}", null, fixedLocation);
                return;
            }
            String[] scriptedAnswer = scripted.poll();
            if (scriptedAnswer != null) {
                reply(exchange, Integer.parseInt(scriptedAnswer[0]), scriptedAnswer[1], null);
                return;
            }
            if (notFoundBudget.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                reply(exchange, 404, "{\"error\":\"not found\",\"detail\":\"no route yet\"}", null);
                return;
            }
            if (retryAfterBudget.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                reply(exchange, 503, "{\"error\":\"busy\",\"detail\":\"try later\"}", retryAfter);
                return;
            }
            if (mode == Mode.UNAUTHORIZED) {
                reply(exchange, 401, "{\"error\":\"unauthorized\",\"detail\":\"test\"}", null);
                return;
            }
            JsonNode batch = Json.MAPPER.readTree(body);
            if (batch.isArray() && !refused.isEmpty()) {
                for (JsonNode record : batch) {
                    if (refused.contains(record.path("eventId").asText())) {
                        int status = batch.size() > 1 ? 400 : 422;
                        reply(exchange, status, "{\"error\":\"refused\",\"detail\":\"record "
                                + record.path("eventId").asText() + " is refused\"}", null);
                        return;
                    }
                }
            }
            if (batch.isArray() && !corrupted.isEmpty()) {
                for (JsonNode record : (ArrayNode) batch) {
                    if (corrupted.contains(record.path("eventId").asText())) {
                        ((ObjectNode) record).put("quantity", -1);
                    }
                }
                body = Json.MAPPER.writeValueAsBytes(batch);
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            for (String header : List.of("Content-Type", "X-API-Key", "Authorization")) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    forward.header(header, value);
                }
            }
            forwardedRecords.addAndGet(batch.isArray() ? batch.size() : 1);
            HttpResponse<String> answer = client.send(forward.build(), HttpResponse.BodyHandlers.ofString());
            reply(exchange, answer.statusCode(), answer.body(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(exchange, 503, "{\"error\":\"interrupted\"}", null);
        } catch (IOException e) {
            reply(exchange, 502, "{\"error\":\"bad gateway\",\"detail\":\"" + e.getClass().getSimpleName() + "\"}", null);
        }
    }

    private static void reply(HttpExchange exchange, int status, String body, String retryAfter) throws IOException {
        reply(exchange, status, body, retryAfter, null);
    }

    private static void reply(HttpExchange exchange, int status, String body, String retryAfter, String location)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (location != null) {
            exchange.getResponseHeaders().set("Location", location);
        }
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
