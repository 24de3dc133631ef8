package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.model.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may read and write what over HTTP (docs/security.md), on a running bundle: the keys and their
 * scopes, the 401 before any body is read, the read and admin limits, no echo of request headers on
 * either port, the dashboard's figures, the health answers and the OpenAPI document.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpSecurityTest {

    static final String KEY = RunningBundle.API_KEY;
    static final String READ_KEY = "test-read-only-key";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    RunningBundle bundle;
    int port;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        bundle = RunningBundle.start(data, Map.of("generator.enabled", "false", "analytics.read-api-key", READ_KEY,
                "http.max-concurrent-reads", "1", "http.max-concurrent-admin", "1"));
        port = URI.create(bundle.baseUrl()).getPort();
        String record = Json.MAPPER.writeValueAsString(AnalyticsApiTest.record("sec-1", "P1", "EU", 2, "3.10", "EUR"));
        assertEquals(200, send("POST", "/analytics/data", record, "X-API-Key", KEY).statusCode());
    }

    @AfterAll
    void stop() {
        if (bundle != null) {
            bundle.close();
        }
    }

    @Test
    void storedRecordsNeedTheReadOrTheWriteKeyAndTheReadKeyCannotWrite() throws Exception {
        for (String path : List.of("/analytics/records/sec-1", "/analytics/records?limit=5")) {
            HttpResponse<String> none = send("GET", path, null);
            assertEquals(401, none.statusCode(), path);
            assertEquals("unauthorized", Json.MAPPER.readTree(none.body()).get("error").asText());
            assertEquals(401, send("GET", path, null, "X-API-Key", "wrong").statusCode(), path);
            assertEquals(401, send("GET", path + (path.contains("?") ? "&" : "?") + "X-API-Key=" + KEY, null).statusCode(),
                    "a key in the query string is not taken: " + path);
            assertEquals(200, send("GET", path, null, "X-API-Key", READ_KEY).statusCode(), path);
            assertEquals(200, send("GET", path, null, "Authorization", "Bearer " + READ_KEY).statusCode(), path);
            assertEquals(200, send("GET", path, null, "X-API-Key", KEY).statusCode(), path);
        }
        assertEquals("sec-1", Json.MAPPER.readTree(send("GET", "/analytics/records/sec-1", null, "X-API-Key", READ_KEY)
                .body()).get("eventId").asText());

        String record = Json.MAPPER.writeValueAsString(AnalyticsApiTest.record("sec-read-key", "P1", "EU", 1, "1.00", "EUR"));
        HttpResponse<String> write = send("POST", "/analytics/data", record, "X-API-Key", READ_KEY);
        assertEquals(401, write.statusCode(), write.body());
        assertTrue(write.body().contains("read-only"), write.body());
        assertEquals(404, send("GET", "/analytics/records/sec-read-key", null, "X-API-Key", KEY).statusCode());
        for (String[] admin : new String[][] {{"GET", "/admin/dlq"}, {"POST", "/admin/dlq/replay?reason=NO_INVENTORY&limit=1"},
            {"GET", "/admin/reconciliation"}}) {
            assertEquals(401, send(admin[0], admin[1], null, "X-API-Key", READ_KEY).statusCode(), admin[1]);
            assertEquals(401, send(admin[0], admin[1], null).statusCode(), admin[1]);
        }

        // aggregates stay open by default (analytics.aggregates-require-key=false)
        assertEquals(200, send("GET", "/analytics/summary", null).statusCode());
        assertEquals(200, send("GET", "/dashboard/metrics", null).statusCode());
        assertEquals(200, send("GET", "/", null).statusCode());
    }

    @Test
    void aggregatesNeedAKeyWhenConfigured(@TempDir Path data) throws Exception {
        try (RunningBundle closed = RunningBundle.start(data, Map.of("generator.enabled", "false",
                "analytics.read-api-key", READ_KEY, "analytics.aggregates-require-key", "true"))) {
            for (String path : List.of("/analytics/summary", "/dashboard/metrics")) {
                HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(URI.create(closed.baseUrl() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(401, none.statusCode(), path);
                HttpResponse<String> read = HTTP.send(HttpRequest.newBuilder(URI.create(closed.baseUrl() + path))
                        .header("X-API-Key", READ_KEY).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, read.statusCode(), path);
            }
            // the page itself holds no data
            assertEquals(200, closed.get(closed.baseUrl() + "/").statusCode());
        }
    }

    /** The routes check the key themselves too (their api-key-* route configuration), gate or no gate. */
    @Test
    void theRoutesCheckTheKeyThroughTheirRouteConfiguration() {
        var template = bundle.context().createProducerTemplate();
        for (String route : List.of("direct:analytics-records", "direct:analytics-ingest", "direct:admin-dlq-report")) {
            org.apache.camel.Exchange refused = template.request(route, e -> e.getMessage().setHeader("X-API-Key", "wrong"));
            assertEquals(401, refused.getMessage().getHeader(org.apache.camel.Exchange.HTTP_RESPONSE_CODE, Integer.class), route);
        }
        org.apache.camel.Exchange read = template.request("direct:analytics-record", e -> {
            e.getMessage().setHeader("X-API-Key", READ_KEY);
            e.getMessage().setHeader("eventId", "sec-1");
        });
        assertEquals(200, read.getMessage().getHeader(org.apache.camel.Exchange.HTTP_RESPONSE_CODE, Integer.class));
        org.apache.camel.Exchange summary = template.request("direct:analytics-summary", e -> { });
        assertEquals(200, summary.getMessage().getHeader(org.apache.camel.Exchange.HTTP_RESPONSE_CODE, Integer.class));
    }

    /**
     * platform-http reads the whole body before the route runs; a client without the key may not make
     * the server read (or wait for) a body. A body announced but never sent is answered 401 at once,
     * while the same request with the key is still waiting for its body.
     */
    @Test
    void aRequestWithoutAValidKeyIsRefusedBeforeItsBodyIsRead() throws Exception {
        String[] targets = {"POST /analytics/data", "POST /admin/dlq/replay?reason=NO_INVENTORY&limit=1", "GET /analytics/records"};
        for (String target : targets) {
            for (String key : new String[] {null, "wrong", READ_KEY}) {
                if (READ_KEY.equals(key) && target.startsWith("GET")) {
                    continue;
                }
                // 8 MB announced (under the 10 MiB limit, so the server would read it), 16 bytes sent, never finished
                String status = statusOfUnfinishedBody(target, key, "Content-Length: 8000000\r\n", "[{\"eventId\":\"x\",");
                assertEquals("401", status, target + " with key " + key);
                status = statusOfUnfinishedBody(target, key, "Transfer-Encoding: chunked\r\n", "10\r\n[{\"eventId\":\"x\",\r\n");
                assertEquals("401", status, target + " chunked, with key " + key);
                // a client that asks first is told no, not to go on (no 100 Continue before the 401)
                status = statusOfUnfinishedBody(target, key, "Content-Length: 8000000\r\nExpect: 100-continue\r\n", "");
                assertEquals("401", status, target + " expecting 100-continue, with key " + key);
            }
        }
        // the control: with the key the server waits for the body it was promised (so the 401 came before reading it)
        assertThrows(SocketTimeoutException.class,
                () -> statusOfUnfinishedBody("POST /analytics/data", KEY, "Content-Length: 8000000\r\n", "[{"));
    }

    /** Sends a request head and the start of a body over a plain socket and returns the answer's status. */
    String statusOfUnfinishedBody(String target, String key, String framing, String bodyStart) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(key != null && (key.equals(KEY) || key.equals(READ_KEY) && target.startsWith("GET")) ? 1_500 : 10_000);
            String[] mt = target.split(" ", 2);
            String head = mt[0] + " " + mt[1] + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + framing
                    + (key == null ? "" : "X-API-Key: " + key + "\r\n") + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write((head + bodyStart).getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line = readLine(socket.getInputStream());
            assertTrue(line.startsWith("HTTP/1.1 "), line);
            return line.substring(9, 12);
        }
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).trim();
    }

    /**
     * A read held open (its body announced, never sent) takes the one read slot of this bundle: the next
     * read is refused with 503 and Retry-After, ingest is served as usual, and the slot is free again
     * once the held connection goes.
     */
    @Test
    void readsAndAdminOverTheirLimitsGet503WhileIngestIsServed() throws Exception {
        for (String[] held : new String[][] {{"GET /analytics/records?limit=1", "GET", "/analytics/summary"},
            {"GET /admin/dlq", "GET", "/admin/reconciliation"}}) {
            try (Socket socket = holdSlot(held[0], held[1], held[2])) {
                HttpResponse<String> busy = send(held[1], held[2], null, "X-API-Key", KEY);
                assertEquals(503, busy.statusCode());
                assertEquals("1", busy.headers().firstValue("Retry-After").orElse(""));
                assertEquals("busy", Json.MAPPER.readTree(busy.body()).get("error").asText());
                String record = Json.MAPPER.writeValueAsString(AnalyticsApiTest.record("sec-busy-" + held[2].length(), "P1", "EU",
                        1, "1.00", "EUR"));
                HttpResponse<String> ingest = send("POST", "/analytics/data", record, "X-API-Key", KEY);
                assertEquals(200, ingest.statusCode(), ingest.body());
                assertEquals(1, Json.MAPPER.readTree(ingest.body()).get("accepted").asInt());
                assertStillHeld(socket);
            }
            RunningBundle.await("the slot to be free once the held connection is closed", Duration.ofSeconds(30),
                    () -> status(held[1], held[2]) == 200);
        }
    }

    /**
     * Opens a request that announces a body and never sends it, and returns once a probe of the same
     * kind is refused while that request is still unanswered. A probe can reach the server first and
     * take the slot itself, refusing the held request; then the hold is tried again.
     */
    Socket holdSlot(String heldRequest, String probeMethod, String probePath) throws Exception {
        for (int attempt = 1; attempt <= 20; attempt++) {
            Socket socket = new Socket("localhost", port);
            socket.getOutputStream().write((heldRequest + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + KEY
                    + "\r\nContent-Length: 10\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            for (int probe = 0; probe < 10; probe++) {
                if (status(probeMethod, probePath) == 503 && isUnanswered(socket)) {
                    return socket;
                }
                if (!isUnanswered(socket)) {
                    break;
                }
            }
            socket.close();
        }
        throw new AssertionError("a held " + heldRequest + " never took the only slot in 20 attempts");
    }

    static boolean isUnanswered(Socket socket) {
        try {
            socket.setSoTimeout(100);
            socket.getInputStream().read();
            return false; // a byte of an answer, or the end of the stream
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void assertStillHeld(Socket socket) {
        assertTrue(isUnanswered(socket), "the held request was answered while its body was still missing");
    }

    int status(String method, String path) {
        try {
            return send(method, path, null, "X-API-Key", KEY).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * platform-http sends the message headers back as response headers, and those start as the request's
     * headers and query parameters: an endpoint that does not clear them echoes the API key. Every
     * endpoint of both ports, answered or refused.
     */
    @Test
    void noEndpointOfEitherPortEchoesRequestHeadersOrQueryParameters() throws Exception {
        String record = Json.MAPPER.writeValueAsString(AnalyticsApiTest.record("sec-echo", "P1", "EU", 1, "1.00", "EUR"));
        List<String[]> endpoints = new ArrayList<>();
        for (String e : List.of("POST /analytics/data", "GET /analytics/summary", "GET /analytics/records/sec-1",
                "GET /analytics/records?limit=2", "GET /admin/dlq", "POST /admin/dlq/replay?reason=NO_INVENTORY&limit=1",
                "GET /admin/reconciliation", "GET /", "GET /dashboard/metrics", "GET /api-doc", "GET /no-such-path",
                "DELETE /analytics/data")) {
            endpoints.add(new String[] {bundle.baseUrl(), e});
        }
        for (String e : List.of("GET /observe/health", "GET /observe/health?exposureLevel=full", "GET /observe/health/live",
                "GET /observe/health/ready", "GET /observe/metrics", "GET /observe/info", "GET /observe/nothing")) {
            endpoints.add(new String[] {bundle.managementUrl(), e});
        }
        List<String> echoes = new ArrayList<>();
        for (String[] endpoint : endpoints) {
            for (String key : new String[] {KEY, "wrong-key-echo-probe"}) {
                String[] mt = endpoint[1].split(" ", 2);
                String url = endpoint[0] + mt[1] + (mt[1].contains("?") ? "&" : "?") + "echoQuery=query-probe-value";
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                        .header("X-API-Key", key).header("X-Echo-Probe", "header-probe-value")
                        .header("Content-Type", "application/json")
                        .method(mt[0], mt[0].equals("POST") ? HttpRequest.BodyPublishers.ofString(record)
                                : HttpRequest.BodyPublishers.noBody());
                HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
                r.headers().map().forEach((name, values) -> {
                    String lower = name.toLowerCase(Locale.ROOT);
                    for (String v : values) {
                        if (lower.equals("x-api-key") || lower.equals("x-echo-probe") || lower.equals("echoquery")
                                || v.contains("probe-value") || v.contains(key)) {
                            echoes.add(endpoint[1] + " (" + r.statusCode() + ") answered " + name + ": " + v);
                        }
                    }
                });
            }
        }
        assertTrue(echoes.isEmpty(), "request headers echoed:\n" + String.join("\n", echoes));
    }

    @Test
    void theDashboardFiguresAreOnlyTheSeriesThePageShows() throws Exception {
        String all = bundle.get(bundle.managementUrl() + "/observe/metrics").body();
        assertTrue(all.contains("\njvm_memory_used_bytes"), "the management port has more than the page needs");
        HttpResponse<String> relayed = send("GET", "/dashboard/metrics", null);
        assertEquals(200, relayed.statusCode());
        assertTrue(relayed.body().contains("\nintegration_records_delivered_total ")
                || relayed.body().startsWith("integration_records_delivered_total "), relayed.body());
        for (String line : relayed.body().split("\n")) {
            String name = line.startsWith("# ") ? line.substring(7) : line;
            assertTrue(name.startsWith("integration_") || name.startsWith("kafka_consumer_fetch_manager_records_lag"),
                    "not a figure of the page: " + line);
        }
    }

    /** With the broker's address and the JDBC URL known, nothing of either shows, whatever the request asks. */
    @Test
    void healthAnswersNameNoHostUrlOrErrorTextWhateverTheyAskFor() throws Exception {
        String brokers = bundle.brokers();
        for (String query : List.of("", "?exposureLevel=full", "?exposureLevel=full&data=true&stackTrace=true",
                "?exposureLevel=full&data=true&stackTrace=true&data=true")) {
            for (String path : List.of("/observe/health", "/observe/health/ready", "/observe/health/live")) {
                String body = bundle.get(bundle.managementUrl() + path + query).body();
                for (String secret : List.of(brokers, brokers.replace("localhost", "127.0.0.1"), "jdbc:", "bootstrap.servers",
                        "Exception", "\tat ", "analytics.datasource.url")) {
                    assertFalse(body.contains(secret), path + query + " shows " + secret + ": " + body);
                }
            }
        }
        JsonNode full = Json.MAPPER.readTree(bundle.get(bundle.managementUrl() + "/observe/health?exposureLevel=full").body());
        assertTrue(full.toString().contains("Kafka answers"), "the checks and their messages stay: " + full);
    }

    @Test
    void theOpenApiDocumentDeclaresParametersTypesAndSecurity() throws Exception {
        HttpResponse<String> r = send("GET", "/api-doc", null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode doc = Json.MAPPER.readTree(r.body());
        assertEquals("Customer/inventory analytics API", doc.at("/info/title").asText(), doc.at("/info").toString());
        JsonNode schemes = doc.at("/components/securitySchemes");
        assertEquals("header", schemes.at("/apiKey/in").asText(), schemes.toString());
        assertEquals("X-API-Key", schemes.at("/apiKey/name").asText());
        assertEquals("bearer", schemes.at("/bearer/scheme").asText(), schemes.toString());

        JsonNode record = doc.at("/paths/~1analytics~1records~1{eventId}/get");
        assertFalse(record.isMissingNode(), doc.at("/paths").toString());
        assertEquals("read", record.at("/security/0/apiKey/0").asText(), record.toString());
        JsonNode eventId = record.at("/parameters/0");
        assertEquals("eventId", eventId.get("name").asText());
        assertEquals("path", eventId.get("in").asText());
        assertEquals("string", eventId.at("/schema/type").asText(), eventId.toString());
        assertNotNull(record.at("/responses/404").get("description"), record.toString());

        JsonNode page = doc.at("/paths/~1analytics~1records/get");
        boolean limitIsInteger = false;
        for (JsonNode p : page.get("parameters")) {
            limitIsInteger |= p.get("name").asText().equals("limit") && p.at("/schema/type").asText().equals("integer");
        }
        assertTrue(limitIsInteger, page.toString());
        assertEquals("write", doc.at("/paths/~1analytics~1data/post/security/0/apiKey/0").asText());
        assertEquals("write", doc.at("/paths/~1admin~1dlq/get/security/0/apiKey/0").asText());
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(bundle.baseUrl() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
