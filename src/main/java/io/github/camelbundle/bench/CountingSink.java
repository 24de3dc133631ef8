package io.github.camelbundle.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.github.camelbundle.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code bench --sink=count}: an HTTP endpoint in place of the analytics API that parses each POSTed batch
 * and counts its records, as the reference pipeline's sink does, so the bench measures the integration
 * path alone. It answers as the API does ({@code accepted}, {@code duplicates}, {@code rejected}) and
 * keeps the event ids it saw, so the bench's {@code lost} is still counted record by record.
 * Written with the JDK's HttpServer, as the reference's sink is, so both sides pay the same for it.
 */
final class CountingSink implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> new Thread(r, "counting-sink"));
    private final Set<String> eventIds = ConcurrentHashMap.newKeySet();

    CountingSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/analytics/data", exchange -> {
            int accepted = 0;
            int duplicates = 0;
            try (InputStream in = exchange.getRequestBody()) {
                JsonNode body = Json.MAPPER.readTree(in);
                for (JsonNode record : body.isArray() ? body : Json.MAPPER.createArrayNode().add(body)) {
                    if (eventIds.add(record.path("eventId").asText())) {
                        accepted++;
                    } else {
                        duplicates++;
                    }
                }
            } catch (IOException notJson) {
                exchange.sendResponseHeaders(400, -1);
                exchange.close();
                return;
            }
            byte[] answer = ("{\"accepted\":" + accepted + ",\"duplicates\":" + duplicates + ",\"rejected\":[]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/analytics/data";
    }

    /** Distinct records received so far. */
    long count() {
        return eventIds.size();
    }

    /** The distinct event ids received so far (a copy). */
    Set<String> eventIds() {
        return Set.copyOf(eventIds);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
