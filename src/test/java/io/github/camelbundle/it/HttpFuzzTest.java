package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.model.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded fuzz of every endpoint of the business port, over loopback: {@code fuzz.requests} (12,000)
 * generated bad requests from 4 threads. Request i is built from the seed and i alone, so a failure
 * names the request, and {@code -Dfuzz.seed=} replays the same requests whatever the interleaving.
 *
 * <p>Checks: no 5xx; no time-out (10 s); no stack trace or Java class name in any answer; a request
 * without the right key in a header never gets past the key check; nothing a rejected request
 * carried is stored: every event id sent is "fz{i}-...", so each stored row is traced back to request
 * i, which must have been answered 2xx with exactly that many "accepted", and the records built to be
 * invalid are never stored; finally the process is healthy and stores a valid batch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpFuzzTest {

    static final long SEED = Long.getLong("fuzz.seed", 0x5EEDF022L);
    static final int REQUESTS = Integer.getInteger("fuzz.requests", 12_000);
    /** Sends request i alone (with the same seed): how a failure is replayed. */
    static final int ONLY = Integer.getInteger("fuzz.only", -1);
    static final int THREADS = 4;
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final Duration FUZZ_BUDGET = Duration.ofSeconds(Long.getLong("fuzz.budget-seconds", 150));
    /** analytics.max-body-bytes of the bundle under test (camel.server.maxBodySize follows it). */
    static final int MAX_BODY = 1_048_576;
    static final int MAX_BATCH = 5_000;
    static final String KEY = RunningBundle.API_KEY;
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    RunningBundle bundle;
    DataSource store;
    HttpClient http;
    int port;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        bundle = RunningBundle.start(data, Map.of(
                "generator.enabled", "false",
                "analytics.max-body-bytes", Integer.toString(MAX_BODY),
                // as many as the fuzz's threads: a busy 503 is then a slot the gate never gave back
                "http.max-concurrent-reads", Integer.toString(THREADS),
                "http.max-concurrent-admin", Integer.toString(THREADS)));
        store = bundle.context().getRegistry().lookupByNameAndType("analyticsStore", AnalyticsStore.class).dataSource();
        port = URI.create(bundle.baseUrl()).getPort();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        RunningBundle.await("readiness", Duration.ofSeconds(60), () -> status(bundle.managementUrl() + "/observe/health/ready") == 200);
    }

    @AfterAll
    void stop() {
        if (bundle != null) {
            bundle.close();
        }
    }

    @Test
    void badRequestsGetA4xxStoreNothingAndLeaveTheProcessHealthy() throws Exception {
        long rowsBefore = StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records");
        Set<String> idsBefore = StoreProbe.eventIds(store);
        Findings findings = new Findings(REQUESTS);

        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        AtomicInteger next = new AtomicInteger();
        Map<Thread, Case> inFlight = new ConcurrentHashMap<>();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < REQUESTS; i = next.getAndIncrement()) {
                    if (ONLY >= 0 && i != ONLY) {
                        continue;
                    }
                    Case c = new Generator(i).generate();
                    inFlight.put(Thread.currentThread(), c);
                    findings.check(c, send(c));
                    inFlight.remove(Thread.currentThread());
                }
                return null;
            }));
        }
        // each request times out by itself; this only catches a client that does not
        long deadline = System.nanoTime() + FUZZ_BUDGET.toNanos();
        for (Future<?> w : workers) {
            try {
                w.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                StringBuilder stuck = new StringBuilder("the fuzz did not finish in " + FUZZ_BUDGET + "; in flight:");
                inFlight.forEach((thread, c) -> stuck.append("\n  ").append(c.describe()).append("\n    at ")
                        .append(Arrays.toString(Arrays.copyOf(thread.getStackTrace(), 12))));
                pool.shutdownNow();
                throw new AssertionError(stuck.toString());
            }
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;

        // every stored row is traced back to the request that carried it
        Map<Integer, Integer> storedByRequest = new TreeMap<>();
        for (String id : StoreProbe.eventIds(store)) {
            if (idsBefore.contains(id)) {
                continue;
            }
            Matcher m = ID.matcher(id);
            if (!m.lookingAt()) {
                findings.fail("stored", "a stored eventId no fuzz request sent as a valid record: " + printable(id));
                continue;
            }
            int i = Integer.parseInt(m.group(1));
            storedByRequest.merge(i, 1, Integer::sum);
            String why = findings.mustNotStore.get(id);
            if (why != null) {
                findings.fail("stored", "request #" + i + " stored an invalid record (" + why + "): " + findings.described[i]);
            }
        }
        long acceptedTotal = 0;
        for (int i = 0; i < REQUESTS; i++) {
            int stored = storedByRequest.getOrDefault(i, 0);
            int accepted = findings.accepted.get(i) < 0 ? 0 : (int) findings.accepted.get(i);
            acceptedTotal += accepted;
            if (stored != accepted) {
                findings.fail("stored", "request #" + i + " answered " + findings.status.get(i) + " with accepted="
                        + findings.accepted.get(i) + " but stored " + stored + ": " + findings.described[i]);
            }
        }
        long rowsAfter = StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records");

        System.out.println(findings.summary(seconds, rowsAfter - rowsBefore));
        findings.assertNone();
        assertEquals(rowsBefore + acceptedTotal, rowsAfter, "rows stored = records the 2xx answers accepted");

        // the process is healthy and still stores what it should
        assertEquals(200, status(bundle.managementUrl() + "/observe/health/live"), "live after the fuzz");
        assertEquals(200, status(bundle.managementUrl() + "/observe/health/ready"), "ready after the fuzz");
        ArrayNode valid = Json.MAPPER.createArrayNode();
        for (int k = 0; k < 3; k++) {
            valid.add(Json.MAPPER.valueToTree(AnalyticsApiTest.record("fuzz-final-" + k, "P1", "EU", 2, "3.10", "EUR")));
        }
        HttpResponse<String> last = http.send(HttpRequest.newBuilder(URI.create(bundle.baseUrl() + "/analytics/data"))
                .timeout(TIMEOUT).header("Content-Type", "application/json").header("X-API-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString(valid.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, last.statusCode(), last.body());
        assertEquals(3, Json.MAPPER.readTree(last.body()).get("accepted").asInt(), last.body());
        assertEquals(rowsAfter + 3, StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records"));
    }

    static final String[] MANAGEMENT_PATHS = {"/observe/health", "/observe/health/live", "/observe/health/ready",
            "/observe/metrics", "/observe/info", "/observe", "/observe/", "/observe/health/x", "/observe/health/ready/",
            "/observe/jolokia", "/observe/dev", "/observe/routes", "/q/health", "/q/dev", "/", "/observe/%2e%2e/observe/info",
            "/observe//health", "/observe/health;data=true", "/OBSERVE/HEALTH", "/observe/send", "/observe/upload"};
    static final String[] MANAGEMENT_PARAMS = {"exposureLevel=full", "exposureLevel=oneline", "exposureLevel=default",
            "exposureLevel=FULL", "exposureLevel=", "exposureLevel=%00", "data=true", "stackTrace=true", "data=TRUE",
            "stackTrace=1", "checks=kafka", "X-API-Key=" + KEY, "name[]=x", "%FF=%FE", "exposureLevel=full&exposureLevel=default"};

    /**
     * The management port, fuzzed: 1,500 requests of paths, detail parameters, methods and headers.
     * No 5xx (but a health 503 saying DOWN), no stack trace, no echo of the request, and nothing of the
     * broker list, the JDBC URL or an error's text, whatever the parameters ask for.
     */
    @Test
    void theManagementPortAnswersJunkWithoutLeaks() throws Exception {
        String brokers = bundle.brokers();
        List<String> leaks = List.of(brokers, brokers.replace("localhost", "127.0.0.1"), "jdbc:", "bootstrap.servers",
                "error-message", "error-stacktrace", "Exception");
        List<String> failures = new ArrayList<>();
        int requests = Integer.getInteger("fuzz.management-requests", 1_500);
        for (int i = 0; i < requests && failures.size() < 20; i++) {
            Random r = new Random(Generator.mix(SEED * 7_919L + i));
            String path = MANAGEMENT_PATHS[r.nextInt(MANAGEMENT_PATHS.length)];
            StringBuilder query = new StringBuilder();
            for (int k = r.nextInt(4); k > 0; k--) {
                query.append(query.length() == 0 ? "?" : "&").append(MANAGEMENT_PARAMS[r.nextInt(MANAGEMENT_PARAMS.length)]);
            }
            String method = new String[] {"GET", "GET", "GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "TRACE"}[r.nextInt(9)];
            List<String[]> headers = new ArrayList<>();
            headers.add(new String[] {"X-API-Key", r.nextBoolean() ? KEY : "wrong"});
            headers.add(new String[] {new String[] {"X-Echo", "Accept", "Origin", "X-Forwarded-For", "Cookie"}[r.nextInt(5)],
                    new String[] {"echo-" + i, "*/*", "http://evil.example", "10.0.0.1", "a=b", "text/html;q=1.5"}[r.nextInt(6)]});
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(bundle.managementUrl() + path + query)).timeout(TIMEOUT)
                    .method(method, method.equals("POST") || method.equals("PUT")
                            ? HttpRequest.BodyPublishers.ofString("{\"x\":" + i + "}") : HttpRequest.BodyPublishers.noBody());
            headers.forEach(h -> b.header(h[0], h[1]));
            String what = "#" + i + " " + method + " " + path + query + " " + headers.get(1)[0] + ": " + headers.get(1)[1];
            HttpResponse<String> answer;
            try {
                answer = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                failures.add("io-error " + e + " for " + what);
                continue;
            }
            int status = answer.statusCode();
            if (status >= 500 && !(status == 503 && path.contains("health") && answer.body().contains("DOWN"))) {
                failures.add(status + " " + abbreviate(answer.body(), 200) + " for " + what);
            }
            if (STACK_TRACE.matcher(answer.body()).find()) {
                failures.add("stack trace " + abbreviate(answer.body(), 200) + " for " + what);
            }
            for (String leak : leaks) {
                if (answer.body().contains(leak) || answer.headers().map().toString().contains(leak)) {
                    failures.add("shows " + leak + ": " + abbreviate(answer.body(), 200) + " for " + what);
                }
            }
            String echo = echo(headers, path + query, answer.headers().map());
            if (echo != null) {
                failures.add(echo + " for " + what);
            }
        }
        assertTrue(failures.isEmpty(), "the management port's fuzz found:\n" + String.join("\n", failures));
    }

    // ---------------------------------------------------------------------------------------------
    // sending

    /** What came back: a status (0 = the connection closed without an answer), or a time-out or I/O error. */
    record Outcome(int status, String body, boolean timedOut, String ioError, Map<String, List<String>> headers) {
        Outcome(int status, String body, boolean timedOut, String ioError) {
            this(status, body, timedOut, ioError, Map.of());
        }
    }

    Outcome send(Case c) {
        if (c.raw != null) {
            return RawHttp.exchange(port, c.raw, c.rawHalfClose);
        }
        if (c.expectContinue) {
            // the JDK 17 client never completes a request that expects 100-continue when the server answers
            // it with a final status instead (the key check's 401 does, without reading the body; RFC 9110
            // 10.1.1): such requests are sent over a socket of their own, the answer read as it comes
            return RawHttp.exchange(port, c.asRawBytes(), false);
        }
        if (c.pastTheRequestLimits() && !c.method.equals("HEAD")) {
            // Vert.x answers 414/431 and closes the connection without saying so ("Connection: close"): on a
            // pooled connection the next request would find it closed. Such requests get a connection of their own.
            return RawHttp.exchange(port, c.asRawBytes(), false);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(bundle.baseUrl() + c.target)).timeout(TIMEOUT);
        for (String[] h : c.headers) {
            b.header(h[0], h[1]);
        }
        if (c.expectContinue) {
            b.expectContinue(true);
        }
        HttpRequest.BodyPublisher body;
        if (c.body == null) {
            body = HttpRequest.BodyPublishers.noBody();
        } else if (c.chunked) {
            byte[] bytes = c.body;
            body = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
        } else {
            body = HttpRequest.BodyPublishers.ofByteArray(c.body);
        }
        b.method(c.method, body);
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Outcome(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8), false, null, r.headers().map());
        } catch (HttpTimeoutException e) {
            return new Outcome(-1, "", true, null);
        } catch (IOException e) {
            return new Outcome(-1, "", false, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(-1, "", false, e.toString());
        }
    }

    int status(String url) {
        try {
            return bundle.get(url).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // checking

    static final Pattern ID = Pattern.compile("fz(\\d+)-");
    /** A stack frame, a "...Exception: ..." line followed by one, or a Java class name leaking out. */
    static final Pattern STACK_TRACE = Pattern.compile(
            "at io\\.|java\\.lang\\.|Exception:[^\\n]*\\n\\s*at |(?m)^\\s+at [\\w$.]+\\(|Caused by: ");
    static final List<String> GUARDED = List.of("POST /analytics/data", "GET /admin/dlq", "POST /admin/dlq/replay",
            "GET /admin/reconciliation", "GET /analytics/records", "GET /analytics/records/{eventId}");

    static final class Findings {
        final AtomicLongArray status;
        final AtomicLongArray accepted;
        final String[] described;
        final Map<String, String> mustNotStore = new ConcurrentHashMap<>();
        final Map<String, Queue<String>> failures = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> byClass = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> byEndpoint = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> byGroup = new ConcurrentHashMap<>();

        Findings(int requests) {
            status = new AtomicLongArray(requests);
            accepted = new AtomicLongArray(requests);
            described = new String[requests];
        }

        void fail(String what, String detail) {
            failures.computeIfAbsent(what, k -> new ConcurrentLinkedQueue<>()).add(detail);
        }

        void check(Case c, Outcome o) {
            described[c.index] = c.describe();
            status.set(c.index, o.status());
            accepted.set(c.index, -1);
            c.mustNotStore.forEach(mustNotStore::put);
            byEndpoint.computeIfAbsent(c.endpoint, k -> new AtomicInteger()).incrementAndGet();
            byGroup.computeIfAbsent(c.group, k -> new AtomicInteger()).incrementAndGet();
            String cls = o.timedOut() ? "timeout" : o.ioError() != null ? "io-error" : o.status() == 0 ? "closed"
                    : c.unknownHttpVersion && o.status() >= 500 ? o.status() + "-for-HTTP/9.9" : (o.status() / 100) + "xx";
            byClass.computeIfAbsent(cls, k -> new AtomicInteger()).incrementAndGet();
            if (o.timedOut()) {
                fail("timeout", c.describe());
                return;
            }
            if (o.ioError() != null) {
                // an upload the server refused part-way may be cut short: that is its 413
                if (!c.oversized) {
                    fail("io-error", o.ioError() + " for " + c.describe());
                }
                return;
            }
            if (o.status() == 0 && c.raw == null) {
                fail("io-error", "no answer for " + c.describe());
            }
            if (o.status() >= 500 && !(c.unknownHttpVersion && (o.status() == 501 || o.status() == 505))) {
                fail("5xx", o.status() + " " + abbreviate(o.body(), 300) + " for " + c.describe());
            }
            if (STACK_TRACE.matcher(o.body()).find()) {
                fail("stack-trace", abbreviate(o.body(), 300) + " for " + c.describe());
            }
            String echo = echo(c.headers, c.raw != null ? "" : c.target, o.headers());
            if (echo != null) {
                fail("echo", echo + " for " + c.describe());
            }
            // refusals of the HTTP server itself come before any route, and so before the key check: its
            // plain-text 4xx (413, 414, 431, a form it cannot decode), and the 415 for any multipart body
            boolean serverRefusal = o.status() / 100 == 4 && !o.body().trim().startsWith("{")
                    || o.status() == 415 && c.headers.stream().anyMatch(h -> h[0].equalsIgnoreCase("Content-Type")
                    && h[1].trim().toLowerCase().startsWith("multipart/"));
            if (c.creds == Creds.BAD && GUARDED.contains(c.endpoint) && c.raw == null && o.status() != 401 && !serverRefusal) {
                fail("auth", "a request without the right key in a header got " + o.status() + " "
                        + abbreviate(o.body(), 200) + ": " + c.describe());
            }
            if (o.status() / 100 == 2 && c.endpoint.equals("POST /analytics/data") && c.method.equals("POST")) {
                try {
                    accepted.set(c.index, Json.MAPPER.readTree(o.body()).get("accepted").asLong());
                } catch (Exception e) {
                    fail("answer", "a 2xx without an accepted count: " + abbreviate(o.body(), 200) + " for " + c.describe());
                }
            }
        }

        String summary(double seconds, long stored) {
            int total = byClass.values().stream().mapToInt(AtomicInteger::get).sum();
            return String.format("FUZZ seed=%d requests=%d in %.1f s (%.0f/s) statuses %s rows stored by valid fuzz records=%d"
                    + " endpoints %s kinds %s", SEED, total, seconds, total / seconds, new TreeMap<>(byClass), stored,
                    new TreeMap<>(byEndpoint), new TreeMap<>(byGroup));
        }

        void assertNone() {
            if (failures.isEmpty()) {
                return;
            }
            StringBuilder all = new StringBuilder();
            failures.forEach((what, list) -> list.forEach(f -> all.append(what).append(": ").append(f).append('\n')));
            try {
                java.nio.file.Files.writeString(Path.of("target", "http-fuzz-findings.txt"), all);
            } catch (IOException e) {
                // the assertion below still lists the first few
            }
            StringBuilder out = new StringBuilder("the fuzz (seed " + SEED + ") found (all in target/http-fuzz-findings.txt):");
            failures.forEach((what, list) -> {
                out.append("\n").append(list.size()).append(" x ").append(what).append(", the first few:");
                list.stream().limit(5).forEach(f -> out.append("\n  ").append(f));
            });
            throw new AssertionError(out.toString());
        }
    }

    /** Headers an answer may carry whatever the request said (framing, and what the routes set). */
    static final Set<String> ANSWER_HEADERS = Set.of("content-type", "content-length", "connection", "transfer-encoding",
            "content-security-policy", "x-content-type-options", "retry-after", "date", "cache-control", "vary", "location");

    /**
     * Where an answer echoes the request: the API key anywhere in its headers, or a header named as a
     * request header or query parameter that is not one the answer sets itself, or one with its value.
     */
    static String echo(List<String[]> requestHeaders, String target, Map<String, List<String>> responseHeaders) {
        Map<String, List<String>> sent = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        requestHeaders.forEach(h -> sent.computeIfAbsent(h[0].trim(), k -> new ArrayList<>()).add(h[1].trim()));
        int q = target.indexOf('?');
        if (q >= 0) {
            for (String pair : target.substring(q + 1).split("[&;]")) {
                int eq = pair.indexOf('=');
                String name = decodeQuietly(eq < 0 ? pair : pair.substring(0, eq));
                sent.computeIfAbsent(name.trim(), k -> new ArrayList<>()).add(eq < 0 ? "" : decodeQuietly(pair.substring(eq + 1)).trim());
            }
        }
        for (Map.Entry<String, List<String>> h : responseHeaders.entrySet()) {
            String name = h.getKey() == null ? "" : h.getKey();
            for (String value : h.getValue()) {
                if (value.contains(KEY)) {
                    return "the API key in the answer's " + name + " header";
                }
                List<String> sentValues = sent.get(name);
                if (sentValues == null || name.isEmpty()) {
                    continue;
                }
                if (!ANSWER_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    return "the request's " + name + " came back as a response header (" + abbreviate(value, 60) + ")";
                }
                if (value.length() > 2 && sentValues.contains(value) && !value.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")
                        && !value.toLowerCase(java.util.Locale.ROOT).startsWith("text/")) {
                    return "the request's " + name + " value came back: " + abbreviate(value, 60);
                }
            }
        }
        return null;
    }

    static String decodeQuietly(String s) {
        try {
            return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    static String abbreviate(String s, int max) {
        String p = printable(s);
        return p.length() <= max ? p : p.substring(0, max) + "...(" + s.length() + " chars)";
    }

    static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (char ch : s.toCharArray()) {
            out.append(ch < 0x20 || ch == 0x7f ? String.format("\\x%02x", (int) ch) : String.valueOf(ch));
        }
        return out.toString();
    }

    // ---------------------------------------------------------------------------------------------
    // the requests

    enum Creds { NOT_NEEDED, CORRECT, BAD, UNCLEAR }

    /** One generated request, and what the test knows of it. */
    static final class Case {
        final int index;
        String group;
        String endpoint;
        String kind;
        String method = "GET";
        String target;
        final List<String[]> headers = new ArrayList<>();
        byte[] body;
        boolean chunked;
        boolean expectContinue;
        /** Sent as these bytes over a plain socket (what HttpClient refuses to send). */
        byte[] raw;
        boolean rawHalfClose;
        /** HTTP/9.9: the server's 501 or 505 is the protocol's answer (RFC 9110, 15.6.2 and 15.6.6), not a failure. */
        boolean unknownHttpVersion;
        Creds creds = Creds.NOT_NEEDED;
        boolean oversized;
        /** Event ids of records built to be invalid, or carried by a request that must be refused whole. */
        final Map<String, String> mustNotStore = new HashMap<>();

        Case(int index) {
            this.index = index;
        }

        /** Over the request line (4,096) or head (8,192) limits of the HTTP server, with a margin. */
        boolean pastTheRequestLimits() {
            return target.length() > 3_000 || headers.stream().mapToInt(h -> h[0].length() + h[1].length() + 4).sum() > 5_000;
        }

        byte[] asRawBytes() {
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
            headers.forEach(h -> head.append(h[0]).append(": ").append(h[1]).append("\r\n"));
            if (expectContinue) {
                head.append("Expect: 100-continue\r\n");
            }
            head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n\r\n");
            byte[] bytes = head.toString().getBytes(StandardCharsets.UTF_8);
            return body == null ? bytes : concat(bytes, body);
        }

        String describe() {
            StringBuilder h = new StringBuilder();
            for (String[] header : headers) {
                h.append(' ').append(header[0]).append(": ").append(abbreviate(header[1], 40)).append(';');
            }
            String what = raw != null ? "raw " + abbreviate(new String(raw, StandardCharsets.ISO_8859_1), 160)
                    : method + " " + abbreviate(target, 160) + h + (body == null ? "" : " body " + body.length + " bytes"
                    + (chunked ? " chunked" : "") + (expectContinue ? " expect-100" : "") + " \"" + abbreviate(new String(body, 0, Math.min(body.length, 120),
                    StandardCharsets.ISO_8859_1), 120) + "\"");
            return "#" + index + " [" + kind + "] " + what + (raw == null && pastTheRequestLimits() ? " (own connection)" : "");
        }
    }

    static final String[] REGIONS = {"NA", "EU", "APAC", "LATAM"};
    static final String[] CURRENCIES = {"EUR", "USD", "GBP", "JPY", "CHF"};

    // the fields of a merged record, by type
    static final String[] STRINGS = {"customer.customerId", "customer.name", "customer.email", "customer.productId",
            "product.productId", "product.sku", "product.name", "product.category", "product.warehouse", "source.topic"};
    static final String[] EVENT_IDS = {"eventId", "customer.eventId"};
    static final String[] ENUMS = {"customer.tier", "customer.region", "product.currency"};
    static final String[] INTS = {"customer.quantity", "quantity", "product.stockLevel", "source.partition"};
    static final String[] LONGS = {"product.version", "inventoryVersion", "source.offset"};
    static final String[] DECIMALS = {"product.price", "orderValue"};
    static final String[] BOOLS = {"fulfillable"};
    static final String[] INSTANTS = {"customer.eventTime", "product.eventTime", "customerEventTime", "mergedAt"};
    static final String[] OBJECTS = {"customer", "product", "source"};
    static final String[] ALL_FIELDS = concat(EVENT_IDS, STRINGS, ENUMS, INTS, LONGS, DECIMALS, BOOLS, INSTANTS, OBJECTS);

    static final String[] HOSTILE_TEXT = {"", " ", "   ", "\u0000", "\u0000\u0001\u001f", "\t\r\n", "'; DROP TABLE merged_records; --",
            "' OR '1'='1", "../../etc/passwd", "..\\..\\windows\\win.ini", "%00", "%2e%2e%2f", "<script>alert(1)</script>",
            "${jndi:ldap://127.0.0.1/x}", "{{analytics.api-key}}", "${header.X-API-Key}", "\u202Eevil\u202C", "\uD83D\uDE00\u00e9\u4e2d",
            "\uFFFF\uFFFE", "\uD800", "null", "NaN", "-1", "0", "true", "[]", "{}", "\\u0000", "\"quoted\""};
    static final String[] TRAVERSAL = {"..", ".", "%2e%2e", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "..%2F..%2Fetc%2Fpasswd",
            "..%252F..%252F", "%2F", "a%2Fb", "..;", "%00", "%FF", "%C0%AF", "%C3%28", "%E2%82", "%25", "%252e%252e", "~", "*",
            "%5C..%5C..%5Cwindows", "%0d%0aSet-Cookie:%20x=1", "%20", "+", "fz0-0", "%F0%9F%98%80", "%EF%BF%BF", "%ED%A0%80",
            "'%20OR%201=1%20--", "%22%3E%3Cscript%3E", "%7B%7D", "%24%7Bjndi:ldap://x%7D", "..%00", "%2e", "%25u002e"};
    static final String[] JUNK_NUMBERS = {"-1", "0", "99999999999", "2147483648", "-2147483649", "1e3", "0x10", " 5", "5 ",
            "", "abc", "NaN", "Infinity", "null", "1.5", "+5", "١٢", "5;", "9999999999999999999999999999", "-0", "00001",
            "1000001", "100001", "%00", "%FF", "5%00", "%5B%5D", "%7B%7D", "true", "1,2"};
    static final String[] PARAM_NAMES = {"limit", "after", "customerId", "productId", "reason", "eventId", "X-API-Key",
            "Authorization", "Content-Type", "CamelHttpResponseCode", "CamelHttpMethod", "CamelHttpUri", "CamelHttpPath",
            "Exchange", "class", "__proto__", "", "a%5B%5D", "limit%5B%5D", "%00", "%FF", "x%20y", "CamelHttpQuery"};
    static final String[] CONTENT_TYPES_NOT_JSON = {"text/plain", "application/xml", "text/html", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz", "application/octet-stream", "", "json", "text/json", "application/javascript",
            "*/*", "application/x-json", "application", "/", ";", "text/plain; charset=application/json"};
    static final String[] CONTENT_TYPES_JSON_ISH = {"application/json", "APPLICATION/JSON", "application/json; charset=utf-8",
            "application/json;charset=UTF-16", "application/json; charset=latin1", "application/json;;;", "application/json ; x=y",
            "application/jsonx", "application/json-seq", "application/json, text/plain", "Application/Json; charset=\"utf-8\"",
            "application/problem+json", "application/vnd.api+json"};
    static final String[] REASONS = {"INVALID_JSON", "SCHEMA_VIOLATION", "OVERSIZED", "NO_INVENTORY", "REJECTED_BY_API",
            "DELIVERY_EXHAUSTED"};
    static final String[] UNKNOWN_PATHS = {"/analytics", "/analytics/", "/analytics/data/extra", "/analytics/datas", "/admin",
            "/admin/", "/admin/dlq/replay/now", "/admin/dlq/x", "/ANALYTICS/SUMMARY", "/Analytics/Data", "/analytics/summary/x",
            "/analytics/records/a/b", "/analytics/records/a/b/c", "/observe/health", "/observe/metrics", "/q/health",
            "/dashboard", "/dashboard/", "/dashboard/metrics/x", "/index.html", "/dashboard/index.html", "/favicon.ico",
            "/.env", "/.git/config", "/WEB-INF/web.xml", "/actuator", "/api", "/analytics%2Fsummary", "/%2e%2e/%2e%2e/etc/passwd",
            "/analytics/summary%00", "/analytics/summary;jsessionid=1", "//analytics/summary", "/analytics//summary",
            "/analytics/./summary", "/analytics/x/../summary", "/%FF", "/%C0%AE%C0%AE/", "/admin/dlq%2Freplay", "/admin/dlq/replay;",
            "/analytics/data%20", "/camel", "/api-doc", "/openapi.json"};
    static final String[] KNOWN = {"POST /analytics/data", "GET /analytics/summary", "GET /analytics/records/fz0-0",
            "GET /analytics/records", "GET /admin/dlq", "POST /admin/dlq/replay", "GET /", "GET /dashboard/metrics",
            "GET /admin/reconciliation", "GET /api-doc"};
    static final String[] ODD_METHODS = {"PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO", "PROPFIND", "get", "Post",
            "MKCOL", "LOCK", "COPY"};

    /** Builds request i from (seed, i) only. */
    static final class Generator {
        final Random r;
        final Case c;
        int nextId;

        Generator(int index) {
            // mixed: java.util.Random's first draws from consecutive seeds are close to a progression
            this.r = new Random(mix(SEED * 1_000_003L + index));
            this.c = new Case(index);
        }

        /** The 64-bit finalizer of SplittableRandom (Stafford variant 13). */
        static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }

        /** One kind of request: its share of 1,000 and how it is made. */
        interface Step {
            void make() throws Exception;
        }

        Case generate() throws Exception {
            Object[][] kinds = {
                {80, "truncated JSON", (Step) this::truncated}, {40, "malformed JSON", (Step) this::malformedSnippet},
                {40, "byte flips", (Step) this::byteFlips}, {170, "mutated records", (Step) this::mutatedRecords},
                {50, "bad encoding", (Step) this::badEncoding}, {40, "content type", (Step) this::contentType},
                {50, "ingest credentials", (Step) this::ingestCredentials}, {8, "oversized", (Step) this::oversized},
                {27, "wrong shape", (Step) this::wrongShape}, {15, "huge numbers", (Step) this::hugeNumbersInBody},
                {20, "ingest query", (Step) this::ingestQuery}, {40, "summary", (Step) this::summary},
                {90, "record by id", (Step) this::recordById}, {100, "records page", (Step) this::recordsPage},
                {30, "DLQ report", (Step) this::dlqReport}, {60, "DLQ replay", (Step) this::dlqReplay},
                {10, "reconciliation", (Step) this::reconciliation},
                {25, "dashboard page", (Step) () -> dashboard("GET /", "/")},
                {25, "dashboard metrics", (Step) () -> dashboard("GET /dashboard/metrics", "/dashboard/metrics")},
                {30, "unknown path", (Step) this::unknownPath}, {32, "wrong method", (Step) this::wrongMethod},
                {18, "raw HTTP", (Step) this::raw}};
            int roll = r.nextInt(1000);
            for (Object[] kind : kinds) {
                roll -= (Integer) kind[0];
                if (roll < 0) {
                    c.group = (String) kind[1];
                    ((Step) kind[2]).make();
                    break;
                }
            }
            if (c.raw == null) {
                URI.create("http://localhost:1" + c.target); // a generator mistake fails here, not in the client
            }
            return c;
        }

        // --- valid material -------------------------------------------------------------------

        String id() {
            return "fz" + c.index + "-" + nextId++;
        }

        ObjectNode validRecord() {
            int quantity = 1 + r.nextInt(r.nextBoolean() ? 5 : 1000);
            String price = r.nextInt(200) + "." + String.format("%02d", r.nextInt(100));
            return Json.MAPPER.valueToTree(AnalyticsApiTest.record(id(), "P" + r.nextInt(50), pick(REGIONS), quantity,
                    price, pick(CURRENCIES)));
        }

        /** Valid records, each noted as must-not-store: the request carrying them is to be refused whole. */
        ArrayNode refusedBatch(int n, String why) {
            ArrayNode batch = Json.MAPPER.createArrayNode();
            for (int k = 0; k < n; k++) {
                ObjectNode rec = validRecord();
                c.mustNotStore.put(rec.get("eventId").asText(), why);
                batch.add(rec);
            }
            return batch;
        }

        void ingest(String kind) {
            c.endpoint = "POST /analytics/data";
            c.kind = kind;
            c.method = "POST";
            c.target = "/analytics/data";
        }

        void jsonWithKey() {
            header("Content-Type", "application/json");
            header("X-API-Key", KEY);
            c.creds = Creds.CORRECT;
        }

        void header(String name, String value) {
            c.headers.add(new String[] {name, value});
        }

        // --- POST /analytics/data ---------------------------------------------------------------

        void truncated() throws Exception {
            ingest("truncated JSON");
            jsonWithKey();
            byte[] whole = r.nextInt(4) == 0 ? bytes(refusedBatch(1, "truncated").get(0))
                    : bytes(refusedBatch(1 + r.nextInt(20), "truncated"));
            byte[] cut = Arrays.copyOf(whole, r.nextInt(whole.length));
            if (r.nextInt(5) == 0) {
                // and something after the cut
                cut = concat(cut, pick(new String[] {"]", "}", "}]", "\"", ",", "]]", "null", "\u0000"}).getBytes(StandardCharsets.UTF_8));
                c.kind = "truncated JSON + tail";
                // a cut right before the closing bracket plus "]" is whole again: that one may be stored
                if (isJson(cut)) {
                    c.mustNotStore.clear();
                }
            }
            c.body = cut;
            c.chunked = r.nextInt(10) == 0;
        }

        void malformedSnippet() {
            ingest("malformed JSON");
            jsonWithKey();
            String[] snippets = {"", " ", "\n\t", "{", "[", "]", "}", "[{]", "{\"eventId\":}", "[1,]", "[,1]", "{'eventId':'x'}",
                    "{eventId:\"x\"}", "NaN", "Infinity", "-", "[-]", "[01]", "[1.]", "[.5]", "[1e]", "[\"\\x\"]", "[\"\\u12\"]",
                    "[\"unterminated]", "[true false]", "[null null]", "{\"a\" 1}", "{\"a\":1,}", "{\"a\":1 \"b\":2}", "[] []",
                    "{} {}", "[]x", "{}]", "/* c */ []", "// c\n[]", "\uFEFF[]", "[\"\u0001\"]", "[\"\t\"]", "{\"\":}", "{:1}",
                    "[{}{}]", "[[]", "[[[", "]]]", "{{}}", "\"just a string\"", "42", "-0", "true", "null", "[", "\u0000",
                    "{\"eventId\":\"x\"", "{\"a\":[1,2}", "[\"a\":1]", "[{\"a\":1}}", "\\", "\"\\", "[1]\u0000", "[\"\uD800\"]",
                    "[] \u0000", "{\"eventId\":\"x\",\"eventId\":\"y\"}", "[{}]", "[]", "{}"};
            String s = pick(snippets);
            c.body = s.getBytes(StandardCharsets.UTF_8);
            if (r.nextInt(8) == 0) {
                c.body = randomBytes(1 + r.nextInt(400));
                c.kind = "random bytes";
            }
        }

        void byteFlips() throws Exception {
            ingest("byte flips");
            jsonWithKey();
            ArrayNode batch = Json.MAPPER.createArrayNode();
            for (int k = 1 + r.nextInt(5); k > 0; k--) {
                batch.add(validRecord());
            }
            byte[] body = bytes(batch);
            for (int k = 1 + r.nextInt(6); k > 0; k--) {
                body[r.nextInt(body.length)] = (byte) pick(new int[] {r.nextInt(256), '"', '{', '}', '[', ']', ',', ':', '\\', 0,
                        0xff, 0xc3, 0x80, '9', '-', ' '});
            }
            // a flip may leave valid records (a digit in a name): those may be stored, and are counted
            c.body = body;
        }

        void mutatedRecords() throws Exception {
            ingest("mutated record");
            jsonWithKey();
            int n = r.nextInt(3) == 0 ? 1 + r.nextInt(8) : 1;
            ArrayNode batch = Json.MAPPER.createArrayNode();
            List<String> labels = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                ObjectNode rec = validRecord();
                String label = mutate(rec);
                labels.add(label);
                batch.add(rec);
            }
            c.kind = "mutated " + String.join(", ", labels);
            c.expectContinue = r.nextInt(20) == 0;
            c.body = n == 1 && r.nextBoolean() ? bytes(batch.get(0)) : bytes(batch);
            if (c.body.length > MAX_BODY) {
                c.oversized = true;
            }
        }

        /** Changes one field (or a consistent group) of a valid record; notes it when it must not be stored. */
        String mutate(ObjectNode rec) {
            String eventId = rec.get("eventId").asText();
            String field = pick(ALL_FIELDS);
            int kind = r.nextInt(10);
            if (kind == 0) {
                remove(rec, field);
                return invalid(eventId, "no " + field);
            }
            if (kind == 1) {
                set(rec, field, NODES.nullNode());
                return invalid(eventId, field + "=null");
            }
            if (kind <= 4) {
                return wrongType(rec, eventId, field);
            }
            return hostileValue(rec, eventId, field);
        }

        String invalid(String eventId, String label) {
            c.mustNotStore.put(eventId, label);
            return label;
        }

        String wrongType(ObjectNode rec, String eventId, String field) {
            JsonNode value;
            boolean maybeValid = false;
            if (in(field, EVENT_IDS) || in(field, STRINGS) || in(field, ENUMS)) {
                value = pickNode(NODES.numberNode(42), NODES.numberNode(-1), NODES.numberNode(new BigDecimal("1.5")),
                        NODES.booleanNode(true), NODES.objectNode(), NODES.arrayNode(), NODES.arrayNode().add("x"),
                        NODES.objectNode().put("$gt", ""), NODES.numberNode(new BigDecimal("1e400")), NODES.numberNode(0),
                        NODES.numberNode(2));
                // the contract gives no type for these texts: a number or a boolean read as its text is noted only
                // (an enum's ordinal is not one of its names, and the two event ids must stay equal)
                maybeValid = in(field, STRINGS) && value.isValueNode();
            } else if (in(field, INTS) || in(field, LONGS)) {
                value = pickNode(NODES.textNode("12"), NODES.textNode(""), NODES.numberNode(new BigDecimal("1.5")),
                        NODES.numberNode(new BigDecimal("1.0")), NODES.booleanNode(true), NODES.objectNode(), NODES.arrayNode(),
                        NODES.arrayNode().add(1), NODES.textNode("0x10"), NODES.numberNode(new BigDecimal("1e3")));
            } else if (in(field, DECIMALS)) {
                value = pickNode(NODES.textNode("2.50"), NODES.textNode(""), NODES.booleanNode(false), NODES.objectNode(),
                        NODES.arrayNode(), NODES.arrayNode().add(2.5), NODES.textNode("NaN"));
            } else if (in(field, BOOLS)) {
                value = pickNode(NODES.textNode("true"), NODES.numberNode(1), NODES.numberNode(0), NODES.textNode("yes"),
                        NODES.objectNode(), NODES.arrayNode(), NODES.textNode(""));
            } else if (in(field, INSTANTS)) {
                value = pickNode(NODES.numberNode(new BigDecimal("1.5")), NODES.booleanNode(true), NODES.objectNode(),
                        NODES.arrayNode(), NODES.textNode("not-a-date"), NODES.textNode("2026-13-01T00:00:00Z"),
                        NODES.textNode("2026-03-01"), NODES.textNode(""), NODES.textNode("2026-03-01T10:00:00"),
                        NODES.textNode("2026-02-30T10:00:00Z"), NODES.textNode("tomorrow"), NODES.numberNode(1_772_359_200L),
                        NODES.numberNode(-1));
                // a number is read as epoch seconds (with a fraction) by the JSON time module: not the contract's
                // ISO-8601, but noted only
                maybeValid = value.isNumber();
            } else {
                value = pickNode(NODES.textNode("x"), NODES.numberNode(42), NODES.arrayNode(), NODES.booleanNode(true),
                        NODES.arrayNode().add(NODES.objectNode()), NODES.objectNode());
            }
            set(rec, field, value);
            String label = field + "=" + abbreviate(value.toString(), 30);
            return maybeValid ? label : invalid(eventId, label);
        }

        String hostileValue(ObjectNode rec, String eventId, String field) {
            if (in(field, EVENT_IDS)) {
                return hostileEventId(rec, eventId, field);
            }
            if (in(field, STRINGS)) {
                String value = r.nextInt(4) == 0 ? "x".repeat(pick(new int[] {64, 255, 256, 257, 300, 1000, 100_000}))
                        : pick(HOSTILE_TEXT);
                set(rec, field, NODES.textNode(value));
                String label = field + "=" + abbreviate(value, 20);
                // an empty product id is refused by the contract's rules; other texts are the sender's business
                return field.equals("product.productId") && value.isEmpty() ? invalid(eventId, label) : label;
            }
            if (in(field, ENUMS)) {
                String value = field.equals("product.currency")
                        ? pick(new String[] {"EURO", "eur", "\u20ac", "ZZZ", "", "E", "EU\u0000", "XXX", "usd "})
                        : pick(new String[] {"gold", "DIAMOND", " GOLD", "GOLD ", "", "na", "MARS", "0", "Gold", "EU\u0000"});
                set(rec, field, NODES.textNode(value));
                String label = field + "=" + printable(value);
                // XXX is ISO 4217 ("no currency"); the JSON mapper trims an enum name (" GOLD", "EU\0"): noted only
                boolean maybeValid = value.equals("XXX") || !field.equals("product.currency") && !value.isEmpty()
                        && !value.trim().equals(value);
                return maybeValid ? label : invalid(eventId, label);
            }
            if (in(field, INTS) || in(field, LONGS)) {
                return hostileNumber(rec, eventId, field);
            }
            if (in(field, DECIMALS)) {
                return hostileDecimal(rec, eventId, field);
            }
            if (in(field, BOOLS)) {
                set(rec, field, NODES.booleanNode(!rec.get("fulfillable").asBoolean()));
                return "fulfillable flipped";
            }
            if (in(field, INSTANTS)) {
                String value = pick(new String[] {"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
                        "+10000-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z",
                        "2026-03-01T10:00:00.123456789Z", "2026-03-01T10:00:00+14:00", "9999-12-31T23:59:59.999999999Z",
                        "+294277-01-01T00:00:00Z", "-4714-11-24T00:00:00Z", "+292278994-08-17T07:12:55.807Z"});
                set(rec, field, NODES.textNode(value));
                return field + "=" + value;
            }
            // objects: extra nesting
            int how = r.nextInt(4);
            JsonNode original = get(rec, field);
            if (how == 0) {
                set(rec, field, NODES.objectNode().set(field, original));
                return invalid(eventId, field + " wrapped in an object");
            }
            if (how == 1) {
                set(rec, field, NODES.arrayNode().add(original));
                return invalid(eventId, field + " wrapped in an array");
            }
            // extra fields are kept: these records are valid
            ((ObjectNode) original).set("nested", nested(1 + r.nextInt(how == 2 ? 20 : 900)));
            return field + " with a deeply nested extra field";
        }

        String hostileEventId(ObjectNode rec, String eventId, String field) {
            int how = r.nextInt(4);
            if (how == 0) {
                // one of the two ids changed: they must be equal
                set(rec, field, NODES.textNode(eventId + "x"));
                return invalid(eventId, field + " differs");
            }
            String value = switch (how) {
                case 1 -> "";
                case 2 -> eventId + "-" + "y".repeat(64);
                default -> (eventId + "/" + pick(HOSTILE_TEXT) + pick(TRAVERSAL));
            };
            if (how == 3 && value.length() > 64) {
                value = value.substring(0, 64);
            }
            set(rec, "eventId", NODES.textNode(value));
            set(rec, "customer.eventId", NODES.textNode(value));
            if (how != 3) {
                c.mustNotStore.put(value, "eventId of " + value.length() + " chars");
                return invalid(eventId, "eventId of " + value.length() + " chars");
            }
            return "eventId=" + printable(value);
        }

        String hostileNumber(ObjectNode rec, String eventId, String field) {
            String[] values = {"0", "-1", "1001", "2147483647", "-2147483648", "2147483648", "-2147483649", "9223372036854775807",
                    "9223372036854775808", "-9223372036854775809", "99999999999999999999999999", "1", "1000"};
            String text = pick(values);
            BigDecimal v = new BigDecimal(text);
            boolean fitsInt = v.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0
                    && v.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) >= 0;
            boolean fitsLong = v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
                    && v.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0;
            boolean fits = in(field, INTS) ? fitsInt : fitsLong;
            JsonNode node = NODES.numberNode(v.toBigInteger());
            if (field.equals("quantity") || field.equals("customer.quantity")) {
                if (r.nextBoolean() || !fitsInt) {
                    boolean same = get(rec, field).decimalValue().compareTo(v) == 0;
                    set(rec, field, node);
                    String label = field + "=" + text + " alone";
                    return same ? label : invalid(eventId, label); // the value it had: still valid
                }
                // the three agree, so only the range rule can refuse it
                int q = v.intValue();
                set(rec, "quantity", node);
                set(rec, "customer.quantity", node);
                BigDecimal price = rec.path("product").path("price").decimalValue();
                set(rec, "orderValue", DecimalNode.valueOf(price.multiply(BigDecimal.valueOf(q))));
                String label = "quantity=" + text + " everywhere";
                return q >= 1 && q <= 1000 ? label : invalid(eventId, label);
            }
            set(rec, field, node);
            String label = field + "=" + text;
            boolean negativeRefused = v.signum() < 0 && !field.equals("inventoryVersion");
            return !fits || negativeRefused ? invalid(eventId, label) : label;
        }

        String hostileDecimal(ObjectNode rec, String eventId, String field) {
            String[] values = {"-0.01", "-1e999999999", "0", "1e30", "1e999999999", "1e-30", "1e-999999999",
                    "99999999999999999999999999.999999999999", "123456789012345678901234567890", "0.0000000000001", "1E+2",
                    "-0", "1e-2147483647", "1e2147483647"};
            String text = pick(values);
            BigDecimal v = new BigDecimal(text);
            if (field.equals("orderValue") || r.nextInt(3) == 0) {
                // one of price and orderValue alone: they no longer agree (unless it is the value it had)
                boolean same = get(rec, field).decimalValue().compareTo(v) == 0;
                set(rec, field, DecimalNode.valueOf(v));
                String label = field + "=" + text + " alone";
                return same ? label : invalid(eventId, label);
            }
            int quantity = rec.get("quantity").asInt();
            set(rec, "product.price", DecimalNode.valueOf(v));
            set(rec, "orderValue", DecimalNode.valueOf(v.multiply(BigDecimal.valueOf(quantity))));
            String label = "price=" + text + " with its orderValue";
            return v.signum() < 0 ? invalid(eventId, label) : label;
        }

        void badEncoding() throws Exception {
            ingest("bad encoding");
            jsonWithKey();
            ArrayNode batch = Json.MAPPER.createArrayNode();
            for (int k = 1 + r.nextInt(3); k > 0; k--) {
                batch.add(validRecord());
            }
            String json = batch.toString();
            int how = r.nextInt(10);
            if (how < 5) {
                // invalid UTF-8 inside a string value: the whole body is not UTF-8
                byte[][] bad = {{(byte) 0xff}, {(byte) 0xfe}, {(byte) 0x80}, {(byte) 0xc3, (byte) 0x28}, {(byte) 0xe2, (byte) 0x82},
                        {(byte) 0xf0, (byte) 0x28, (byte) 0x8c, (byte) 0x28}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80},
                        {(byte) 0xc0}, {(byte) 0xf5, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
                int at = json.indexOf("\"Ada\"") + 2;
                byte[] head = json.substring(0, at).getBytes(StandardCharsets.UTF_8);
                byte[] tail = json.substring(at).getBytes(StandardCharsets.UTF_8);
                c.body = concat(concat(head, bad[r.nextInt(bad.length)]), tail);
                c.kind = "invalid UTF-8 in a string";
                batch.forEach(rec -> c.mustNotStore.put(rec.get("eventId").asText(), "invalid UTF-8"));
            } else if (how < 7) {
                // sequences lenient decoders take: overlong "/", an encoded surrogate, past U+10FFFF; and
                // a noncharacter, which is valid UTF-8 (that one may be stored)
                byte[][] odd = {{(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xe0, (byte) 0x80, (byte) 0xaf},
                        {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xc1, (byte) 0xbf},
                        {(byte) 0xf7, (byte) 0xbf, (byte) 0xbf, (byte) 0xbf}, {(byte) 0xef, (byte) 0xbf, (byte) 0xbf}};
                int which = r.nextInt(odd.length);
                int at = json.indexOf("\"Ada\"") + 2;
                c.body = concat(concat(json.substring(0, at).getBytes(StandardCharsets.UTF_8), odd[which]),
                        json.substring(at).getBytes(StandardCharsets.UTF_8));
                c.kind = "odd UTF-8 in a string";
                if (which < odd.length - 1) {
                    batch.forEach(rec -> c.mustNotStore.put(rec.get("eventId").asText(), "not UTF-8"));
                }
            } else if (how < 9) {
                // other encodings and byte orders: UTF-16/32 with and without a BOM, or an impossible UCS-4 order;
                // only UTF-8, with or without its BOM, may be stored
                byte[][] boms = {{}, {(byte) 0xfe, (byte) 0xff}, {(byte) 0xff, (byte) 0xfe}, {0, 0, (byte) 0xfe, (byte) 0xff},
                        {(byte) 0xff, (byte) 0xfe, 0, 0}, {0, 0, (byte) 0xff, (byte) 0xfe}, {(byte) 0xfe, (byte) 0xff, 0, 0},
                        {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}};
                String[] charsets = {"UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE", "UTF-8"};
                int bom = r.nextInt(boms.length);
                String charset = pick(charsets);
                c.body = concat(boms[bom], json.getBytes(java.nio.charset.Charset.forName(charset)));
                c.kind = "other encoding " + charset + " bom " + bom;
                if (!charset.equals("UTF-8") || bom != 0 && bom != boms.length - 1) {
                    batch.forEach(rec -> c.mustNotStore.put(rec.get("eventId").asText(), c.kind));
                }
            } else {
                // UTF-32 with code points that do not exist
                c.body = new byte[] {0, 0, 0, '[', 0, 0, 0, '"', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, '"', 0, 0, 0, ']'};
                if (r.nextBoolean()) {
                    c.body = new byte[] {0, 0, 0, '[', 0, 0x11, 0, 0x41, 0, 0, 0, ']'};
                }
                c.kind = "impossible UTF-32";
            }
        }

        void contentType() throws Exception {
            ingest("content type");
            header("X-API-Key", KEY);
            c.creds = Creds.CORRECT;
            int how = r.nextInt(4);
            if (how == 0) {
                // no Content-Type at all, a valid batch
                c.body = bytes(refusedBatch(1 + r.nextInt(3), "no Content-Type"));
                c.kind = "no Content-Type";
            } else if (how == 1 || how == 2) {
                String type = pick(CONTENT_TYPES_NOT_JSON);
                header("Content-Type", type);
                c.kind = "Content-Type " + type;
                if (type.startsWith("application/x-www-form-urlencoded") && r.nextBoolean()) {
                    c.body = pick(new String[] {"a=%ZZ&b=%", "X-API-Key=" + KEY + "&limit=%", "=&&=%G0", "%", "a=" + "%FF".repeat(100),
                            "eventId=x&quantity=0"}).getBytes(StandardCharsets.ISO_8859_1);
                } else if (type.startsWith("multipart") && r.nextBoolean()) {
                    c.body = ("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../x.json\"\r\n\r\n[]\r\n"
                            + pick(new String[] {"--xyz--\r\n", "", "--xy", "--xyz\r\n\r\n"})).getBytes(StandardCharsets.ISO_8859_1);
                } else {
                    c.body = bytes(refusedBatch(1 + r.nextInt(3), "Content-Type " + type));
                }
            } else {
                // JSON-ish types with a body that is valid or not: stored records are counted
                String type = pick(CONTENT_TYPES_JSON_ISH);
                header("Content-Type", type);
                c.kind = "Content-Type " + type;
                c.body = r.nextBoolean() ? bytes(Json.MAPPER.createArrayNode().add(validRecord())) : "[{]".getBytes(StandardCharsets.UTF_8);
            }
        }

        void ingestCredentials() throws Exception {
            ingest("credentials");
            header("Content-Type", "application/json");
            credentials();
            // a valid batch: if a wrong key got through, it would be stored, and found
            c.body = c.creds == Creds.BAD ? bytes(refusedBatch(1 + r.nextInt(3), "wrong credentials"))
                    : bytes(Json.MAPPER.createArrayNode().add(r.nextBoolean() ? validRecord() : NODES.objectNode()));
            c.expectContinue = r.nextInt(10) == 0;
        }

        /** Picks an API-key variant for a guarded endpoint and notes whether it is the right key in a header. */
        void credentials() {
            String base = c.target;
            int how = r.nextInt(24);
            String sep = base.contains("?") ? "&" : "?";
            switch (how) {
                case 0 -> c.creds = Creds.BAD; // none
                case 1 -> bad("X-API-Key", "");
                case 2 -> bad("X-API-Key", "wrong-key");
                case 3 -> bad("X-API-Key", KEY.toUpperCase());
                case 4 -> bad("X-API-Key", KEY.substring(0, KEY.length() - 1));
                case 5 -> bad("X-API-Key", KEY + "x");
                case 6 -> bad("X-API-Key", "Bearer " + KEY);
                case 7 -> bad("Authorization", "Bearer");
                case 8 -> bad("Authorization", "Bearer wrong");
                case 9 -> bad("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((KEY + ":").getBytes()));
                case 10 -> bad("Authorization", "Token " + KEY);
                case 11 -> bad("Authorization", KEY);
                case 12 -> bad("Authorization", "BearerX" + KEY);
                case 13 -> bad("X-API-Key", "x".repeat(1 + r.nextInt(6000)));
                case 14 -> {
                    // the key only in the URL: not where the contract takes it (and it would end in access logs)
                    c.target = base + sep + pick(new String[] {"X-API-Key=", "x-api-key=", "X-API-KEY="}) + KEY;
                    c.creds = Creds.BAD;
                }
                case 15 -> {
                    c.target = base + sep + "Authorization=Bearer%20" + KEY;
                    c.creds = Creds.BAD;
                }
                case 16 -> {
                    header("X-API-Key", "wrong-key");
                    header("Authorization", "Bearer " + KEY);
                    c.creds = Creds.BAD; // X-API-Key, when present, is the one read
                }
                case 17 -> {
                    header("X-API-Key", KEY);
                    header("X-API-Key", "wrong-key");
                    c.creds = Creds.UNCLEAR;
                }
                case 18 -> {
                    header("x-api-key", KEY);
                    c.creds = Creds.CORRECT;
                }
                case 19 -> {
                    header("Authorization", pick(new String[] {"Bearer ", "bearer ", "BEARER "}) + KEY);
                    c.creds = Creds.CORRECT;
                }
                case 20 -> {
                    header("Authorization", "Bearer " + KEY + "   ");
                    c.creds = Creds.UNCLEAR;
                }
                case 21 -> {
                    header("X-API-Key", KEY);
                    header("Authorization", "Bearer wrong");
                    c.creds = Creds.CORRECT;
                }
                case 22 -> {
                    header("X-API-Key", KEY);
                    c.target = base + sep + "X-API-Key=wrong";
                    c.creds = Creds.UNCLEAR;
                }
                default -> bad("X-Api-Key-Typo", KEY);
            }
        }

        void bad(String header, String value) {
            header(header, value);
            c.creds = Creds.BAD;
        }

        void oversized() throws Exception {
            ingest("oversized");
            jsonWithKey();
            c.oversized = true;
            int how = r.nextInt(6);
            if (how == 0) {
                // over analytics.max-body-bytes: the HTTP server answers 413 before the body is read
                ArrayNode batch = Json.MAPPER.createArrayNode();
                while (batch.size() * 560 < MAX_BODY + 50_000) {
                    ObjectNode rec = validRecord();
                    c.mustNotStore.put(rec.get("eventId").asText(), "body over the limit");
                    batch.add(rec);
                }
                c.body = bytes(batch);
                c.kind = "body over max-body-bytes (" + c.body.length + " bytes)";
            } else if (how == 1) {
                c.body = bytes(refusedBatch(MAX_BATCH + 1, "5,001 records"));
                c.kind = "5,001 records (" + c.body.length + " bytes)";
            } else if (how == 2) {
                // 5,001 small elements: under the byte limit, over the record limit
                c.body = ("[" + "{},".repeat(MAX_BATCH) + pick(new String[] {"{}", "1", "{\"eventId\":\"x\"}"}) + "]")
                        .getBytes(StandardCharsets.UTF_8);
                c.kind = "5,001 small elements";
            } else if (how == 3) {
                // 5,000 invalid elements: at the limit, every one rejected
                c.body = ("[" + "{},".repeat(MAX_BATCH - 1) + "{}]").getBytes(StandardCharsets.UTF_8);
                c.kind = "5,000 empty objects";
                c.oversized = false;
            } else if (how == 4) {
                // one record just under the body limit, most of it an extra field (extra fields are kept)
                ObjectNode rec = validRecord();
                rec.put("note", "n".repeat(MAX_BODY - 8_000 - r.nextInt(40_000)));
                c.body = bytes(rec);
                c.kind = "one record of " + c.body.length + " bytes";
                c.oversized = false;
            } else {
                c.body = new byte[MAX_BODY + 1 + r.nextInt(100_000)];
                Arrays.fill(c.body, (byte) ' ');
                c.body[0] = '[';
                c.kind = "spaces over max-body-bytes";
            }
            c.chunked = r.nextInt(3) == 0;
            if (c.body.length > MAX_BODY && r.nextInt(4) == 0) {
                // asks first: the server must refuse on the length alone, without the body. Sent raw: the JDK 17
                // client, given that 413, stops its time-out and waits on the upload it should have dropped
                c.raw = ("POST /analytics/data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-API-Key: " + KEY
                        + "\r\nExpect: 100-continue\r\nContent-Length: " + c.body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
                c.kind += ", Expect: 100-continue";
            }
        }

        void wrongShape() throws Exception {
            ingest("wrong shape");
            jsonWithKey();
            int how = r.nextInt(7);
            ObjectNode rec = validRecord();
            String id = rec.get("eventId").asText();
            c.mustNotStore.put(id, "wrong shape");
            JsonNode body = switch (how) {
                case 0 -> NODES.objectNode().set("records", NODES.arrayNode().add(rec));
                case 1 -> NODES.arrayNode().add(NODES.arrayNode().add(rec));
                case 2 -> NODES.objectNode().set("data", rec);
                case 3 -> NODES.arrayNode().add(42).add("x").add(NODES.nullNode()).add(NODES.arrayNode()).add(true);
                case 4 -> NODES.textNode(rec.toString());
                default -> null;
            };
            if (body != null) {
                c.body = bytes(body);
                return;
            }
            // nesting past what the parser takes (1,000 levels): the whole body is refused
            int depth = 1_000 + r.nextInt(3_000);
            String open = how == 5 ? "[" : "{\"a\":";
            String close = how == 5 ? "]" : "}";
            c.body = ("[" + rec + "," + open.repeat(depth) + "1" + close.repeat(depth) + "]").getBytes(StandardCharsets.UTF_8);
            c.kind = "nesting " + depth;
        }

        void hugeNumbersInBody() {
            ingest("huge numbers");
            jsonWithKey();
            String[] bodies = {"[1e999999999]", "[-1e999999999]", "{\"eventId\":1e999999999}", "{\"quantity\":1e-2147483648}",
                    "[" + "9".repeat(1_001) + "]", "[0." + "0".repeat(2_000) + "1]", "[1e" + "9".repeat(30) + "]",
                    "{\"quantity\":" + "9".repeat(999) + "}", "[-" + "1".repeat(5_000) + "]", "[1E-999999999]", "[123456789e2147483647]",
                    "{\"orderValue\":1e2147483648}", "[18446744073709551616]", "[4.9e-324]", "[1.7976931348623157e309]"};
            c.body = pick(bodies).getBytes(StandardCharsets.UTF_8);
        }

        void ingestQuery() throws Exception {
            ingest("query on POST");
            jsonWithKey();
            c.target = "/analytics/data" + junkQuery(1 + r.nextInt(4));
            c.body = r.nextBoolean() ? "[{}]".getBytes(StandardCharsets.UTF_8) : bytes(NODES.arrayNode().add(validRecord()));
            if (c.target.toLowerCase().contains("x-api-key=") || c.target.toLowerCase().contains("authorization=")
                    || c.target.toLowerCase().contains("content-type=")) {
                c.creds = Creds.UNCLEAR;
            }
        }

        // --- the other endpoints -----------------------------------------------------------------

        void summary() {
            c.endpoint = "GET /analytics/summary";
            c.kind = "summary";
            c.target = "/analytics/summary" + (r.nextInt(4) == 0 ? "" : junkQuery(1 + r.nextInt(5)));
            junkHeaders();
            maybeBodyOnGet();
        }

        void recordById() {
            c.endpoint = "GET /analytics/records/{eventId}";
            c.kind = "record by id";
            int how = r.nextInt(5);
            String id = switch (how) {
                case 0 -> pick(TRAVERSAL);
                case 1 -> pick(TRAVERSAL) + pick(TRAVERSAL) + "%2F" + pick(TRAVERSAL);
                case 2 -> encode("x".repeat(r.nextInt(3_500)) + pick(HOSTILE_TEXT));
                case 3 -> encode(pick(HOSTILE_TEXT)) + (r.nextBoolean() ? "/" : "");
                default -> encode(randomText(1 + r.nextInt(80)));
            };
            c.target = "/analytics/records/" + id + (r.nextInt(3) == 0 ? junkQuery(1 + r.nextInt(3)) : "");
            // stored records need a key: every variant, right and wrong
            credentials();
            junkHeaders();
        }

        void recordsPage() {
            c.endpoint = "GET /analytics/records";
            c.kind = "records page";
            StringBuilder q = new StringBuilder();
            for (String name : new String[] {"limit", "after", "customerId", "productId"}) {
                if (r.nextInt(3) != 0) {
                    q.append(q.length() == 0 ? "?" : "&").append(name).append('=')
                            .append(name.equals("limit") ? pick(JUNK_NUMBERS).replace(" ", "%20").replace("١٢", "%D9%A1%D9%A2")
                                    : junkValue());
                }
            }
            if (r.nextInt(4) == 0) {
                q.append(q.length() == 0 ? "?" : "&").append("limit=").append(pick(new String[] {"1", "2", "-1", "abc"}));
            }
            c.target = "/analytics/records" + q + (r.nextInt(5) == 0 ? junkQuery(1).replace('?', '&') : "");
            credentials();
            junkHeaders();
            maybeBodyOnGet();
        }

        void dlqReport() {
            c.endpoint = "GET /admin/dlq";
            c.kind = "DLQ report";
            c.target = "/admin/dlq" + (r.nextBoolean() ? "" : junkQuery(1 + r.nextInt(3)));
            // the right key runs a real report (a Kafka consumer each): kept to one request in 200
            if (c.index % 200 == 3) {
                header("X-API-Key", KEY);
                c.creds = Creds.CORRECT;
            } else {
                credentialsWithoutTheKey();
            }
            junkHeaders();
        }

        void reconciliation() {
            c.endpoint = "GET /admin/reconciliation";
            c.kind = "reconciliation";
            c.target = "/admin/reconciliation" + (r.nextBoolean() ? "" : junkQuery(1 + r.nextInt(3)));
            // the right key reads whole topics: once in 500
            if (c.index % 500 == 7) {
                header("X-API-Key", KEY);
                c.creds = Creds.CORRECT;
            } else {
                credentialsWithoutTheKey();
            }
            junkHeaders();
        }

        void dlqReplay() {
            c.endpoint = "POST /admin/dlq/replay";
            c.kind = "DLQ replay";
            c.method = "POST";
            if (r.nextInt(3) == 0) {
                c.target = "/admin/dlq/replay" + junkQuery(1 + r.nextInt(3));
                credentialsWithoutTheKey();
                return;
            }
            String reason = pick(new String[] {"NOPE", "no_inventory", "NO_INVENTORY%20", "%20NO_INVENTORY", "ALL", "*", "%25",
                    "NO_INVENTORY,OVERSIZED", "DELIVERY_EXHAUSTED%00", "%27%20OR%201=1", "null", encode(randomText(1 + r.nextInt(30))),
                    "x".repeat(3_000), "%FF%FE", "REJECTED_BY_API%0d%0a", pick(REASONS)});
            String limit = pick(new String[] {"-1", "0", "100001", "99999999999", "abc", "1e3", "%00", "-2147483648", "1.5",
                    "2147483648", "%20", "1", "1000"});
            StringBuilder q = new StringBuilder("?");
            if (r.nextInt(5) != 0) {
                q.append("reason=").append(reason).append('&');
            }
            if (r.nextInt(5) != 0) {
                q.append("limit=").append(limit);
            }
            boolean reasonOk = !q.toString().contains("reason=") || Arrays.asList(REASONS).contains(reason);
            boolean limitOk = !q.toString().contains("limit=") || limit.equals("1") || limit.equals("1000");
            c.target = "/admin/dlq/replay" + q;
            if (r.nextInt(4) == 0) {
                credentialsWithoutTheKey();
            } else if (!(reasonOk && limitOk) || c.index % 500 == 11) {
                // the right key with a bad query; a real replay (reason and limit valid) only once in 500
                header("X-API-Key", KEY);
                c.creds = Creds.CORRECT;
                c.kind = reasonOk && limitOk ? "DLQ replay, valid" : "DLQ replay, bad query";
            } else {
                credentialsWithoutTheKey();
            }
            if (r.nextInt(4) == 0) {
                header("Content-Type", pick(CONTENT_TYPES_NOT_JSON));
                c.body = randomBytes(r.nextInt(300));
            }
        }

        /** A key variant that is never the right one in a header (the admin endpoints, cheaply). */
        void credentialsWithoutTheKey() {
            for (int tries = 0; tries < 10; tries++) {
                int before = c.headers.size();
                String target = c.target;
                c.creds = Creds.NOT_NEEDED;
                credentials();
                if (c.creds == Creds.BAD) {
                    return;
                }
                c.headers.subList(before, c.headers.size()).clear();
                c.target = target;
            }
            c.creds = Creds.BAD;
        }

        void dashboard(String endpoint, String path) {
            c.endpoint = endpoint;
            c.kind = "dashboard";
            c.target = path + (r.nextInt(3) == 0 ? "" : junkQuery(1 + r.nextInt(4)));
            junkHeaders();
            if (r.nextInt(4) == 0) {
                header(pick(new String[] {"Range", "If-None-Match", "If-Modified-Since", "Accept-Encoding", "Origin"}),
                        pick(new String[] {"bytes=999999-", "bytes=-1", "bytes=0-0,1-1,2-2", "*", "gzip, deflate, br",
                                "Thu, 01 Jan 1970 00:00:00 GMT", "garbage", "null", "http://evil.example"}));
            }
            maybeBodyOnGet();
        }

        void unknownPath() {
            c.endpoint = "unknown path";
            c.kind = "unknown path";
            c.target = r.nextInt(4) == 0 ? "/" + encode(randomText(1 + r.nextInt(60))) : pick(UNKNOWN_PATHS);
            if (r.nextInt(3) == 0) {
                c.target += junkQuery(1 + r.nextInt(2));
            }
            c.method = pick(new String[] {"GET", "POST", "PUT", "DELETE"});
            if (!c.method.equals("GET")) {
                header("Content-Type", "application/json");
                header("X-API-Key", KEY);
                c.body = "[{}]".getBytes(StandardCharsets.UTF_8);
            }
        }

        void wrongMethod() throws Exception {
            c.endpoint = "wrong method";
            String[] known = pick(KNOWN).split(" ");
            String method;
            do {
                method = pick(ODD_METHODS);
                if (r.nextInt(4) == 0) {
                    method = known[0].equals("GET") ? "POST" : "GET";
                }
            } while (method.equals(known[0]));
            c.method = method;
            c.target = known[1];
            c.kind = "wrong method " + method + " on " + known[1];
            header("X-API-Key", KEY);
            if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("get") && r.nextBoolean()) {
                // a valid batch with the key, on the wrong method: nothing may be stored
                header("Content-Type", "application/json");
                c.body = bytes(refusedBatch(1 + r.nextInt(2), "wrong method"));
            }
        }

        void raw() {
            c.endpoint = "raw HTTP";
            c.kind = "raw";
            String json = "[{}]";
            String[] requests = {
                "GET /analytics/records?limit=%&after=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /analytics/records?limit=1&after=%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /analytics/records/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /analytics/records/% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /analytics/records?customerId=\u00c3(\u00ff&limit=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /analytics/records/\u00ff\u00fe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /analytics/records/a b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "POST /analytics/data HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nX-API-Key: \u00ff\u00fe"
                        + KEY + "\r\nContent-Length: 4\r\n\r\n" + json,
                "POST /analytics/data HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nX-API-Key: " + KEY
                        + "\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n[{}]\r\n0\r\n\r\n",
                "POST /analytics/data HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nX-API-Key: " + KEY
                        + "\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\n[{}]\r\n0\r\n\r\n",
                "POST /analytics/data HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nX-API-Key: " + KEY
                        + "\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n[{}]\r\n0\r\n\r\n",
                "POST /analytics/data HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nX-API-Key: " + KEY
                        + "\r\nContent-Length: abc\r\n\r\n" + json,
                "POST /analytics/data HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nX-API-Key: " + KEY
                        + "\r\nContent-Length: -5\r\n\r\n" + json,
                "POST /analytics/data HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nX-API-Key: " + KEY
                        + "\r\nContent-Length: 4\r\nContent-Length: 2\r\n\r\n" + json,
                "POST /analytics/data HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nX-API-Key: " + KEY
                        + "\r\nContent-Length: 99999999999999999999\r\n\r\n" + json,
                "POST /analytics/data HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nX-API-Key: " + KEY
                        + "\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n" + json,
                "HELLO WORLD\r\n\r\n",
                "\r\n\r\n\r\n",
                "GET /analytics/summary HTTP/1.0\r\n\r\n",
                "GET /analytics/summary HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /analytics/summary HTTP/1.1\r\nHost: x\r\nNoColonHeader\r\nConnection: close\r\n\r\n",
                "GET /analytics/summary HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\nConnection: close\r\n\r\n",
                "GET /analytics/records?limit=1&limit=2&limit=-1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "POST /admin/dlq/replay?reason=%ZZ&limit=% HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-API-Key: " + KEY
                        + "\r\nContent-Length: 0\r\n\r\n",
                "POST /admin/dlq/replay?reason=NOPE&reason=NO_INVENTORY&limit=-1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-API-Key: "
                        + KEY + "\r\nContent-Length: 0\r\n\r\n",
                "GET http://evil.example/analytics/summary HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /analytics/summary HTTP/1.1\r\nHost: x\r\nX-Nul: a\u0000b\r\nConnection: close\r\n\r\n",
                "POST /analytics/data?X-API-Key=% HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 4\r\n\r\n" + json,
                "POST /analytics/data HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "X-API-Key: " + KEY + "\r\nContent-Length: 9\r\n\r\na=%ZZ&b=%",
                "GET /analytics/summary HTTP/1.1\r\nHost: x\r\n Folded: header\r\nConnection: close\r\n\r\n",
                "GET /analytics/summary HTTP/1.1\r\nHost: x\r\nHost: y\r\nConnection: close\r\n\r\n",
                "GET /\u0000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /analytics/records?after=\r\n HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /analytics/summary HTTP/1.1\nHost: x\nConnection: close\n\n",
                "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "POST /analytics/data HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nX-API-Key: " + KEY
                        + "\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\n" + json,
                "POST /analytics/data HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nX-API-Key: " + KEY
                        + "\r\nContent-Length: 4\r\n\r\n" + json + "GET /x HTTP/1.1\r\n\r\n",
            };
            String request = pick(requests);
            c.raw = request.getBytes(StandardCharsets.ISO_8859_1);
            c.unknownHttpVersion = request.contains("HTTP/9.9");
            // requests the server may rightly wait on for more input
            c.rawHalfClose = request.startsWith("\r\n") || request.startsWith("HELLO") || request.contains("FFFFFFFF\r\n")
                    || request.contains("Content-Length: 9999") || request.contains("Content-Length: " + (MAX_BODY + 1))
                    || request.contains("after=\r\n");
        }

        // --- junk ----------------------------------------------------------------------------

        String junkQuery(int params) {
            StringBuilder q = new StringBuilder("?");
            for (int k = 0; k < params; k++) {
                if (k > 0) {
                    q.append(pick(new String[] {"&", "&", "&&", ";", "&amp;"}));
                }
                String name = r.nextInt(5) == 0 ? encode(randomText(1 + r.nextInt(10))) : pick(PARAM_NAMES);
                q.append(name);
                if (r.nextInt(8) != 0) {
                    q.append('=').append(name.equals("X-API-Key") || name.equals("Authorization") ? "wrong" : junkValue());
                }
            }
            return q.toString();
        }

        String junkValue() {
            int how = r.nextInt(10);
            return switch (how) {
                case 0, 1 -> pick(TRAVERSAL);
                case 2 -> encode(pick(HOSTILE_TEXT));
                case 3 -> pick(JUNK_NUMBERS).replace(" ", "%20").replace("١٢", "%D9%A1%D9%A2");
                case 4 -> encode("v".repeat(1_000 + r.nextInt(2_800)));
                case 5 -> encode("w".repeat(5_000 + r.nextInt(4_000))); // past the request line limit
                case 6 -> "%" + Integer.toHexString(0x10 + r.nextInt(0xf0)).toUpperCase() + "%25%2525%00%0A";
                case 7 -> "fz" + r.nextInt(1_000) + "-" + r.nextInt(5);
                default -> encode(randomText(1 + r.nextInt(40)));
            };
        }

        void junkHeaders() {
            if (r.nextInt(3) == 0) {
                header(pick(new String[] {"Accept", "Accept-Charset", "Content-Type", "X-Forwarded-For", "X-Forwarded-Host",
                        "X-HTTP-Method-Override", "Cookie", "Referer", "User-Agent", "X-API-Key", "CamelHttpResponseCode",
                        "CamelHttpPath", "CamelHttpUri", "Exchange", "Forwarded", "eventId", "limit", "after"}),
                        pick(new String[] {"application/xml", "*/*;q=0", "text/html;q=1.5", "DELETE", "999", "../../", "-1", "x".repeat(3_000),
                                "a=b; c", "\"quoted\"", "; ; ;", "utf-7", "500", "/admin/dlq/replay", "fz1-1", "%00"}));
                if (c.headers.get(c.headers.size() - 1)[0].equals("X-API-Key")) {
                    // a second X-API-Key beside the right one is unclear; otherwise it is a wrong key
                    c.creds = c.creds == Creds.CORRECT || c.creds == Creds.UNCLEAR ? Creds.UNCLEAR : Creds.BAD;
                }
            }
        }

        void maybeBodyOnGet() {
            if (r.nextInt(10) == 0) {
                header("Content-Type", pick(new String[] {"application/json", "text/plain"}));
                c.body = pick(new String[] {"[{}]", "{", "x".repeat(10_000), ""}).getBytes(StandardCharsets.UTF_8);
            }
        }

        String randomText(int length) {
            StringBuilder s = new StringBuilder();
            String alphabet = "abcXYZ019-_.~!*'();:@&=+$,/?#[]%<>\"\\ {}|^`\t\u00e9\u00ff\u0100\u4e2d\uD83D\uDE00\u202E\u0000\u0001\u007f";
            while (s.length() < length) {
                int at = r.nextInt(alphabet.length());
                char ch = alphabet.charAt(at);
                if (Character.isHighSurrogate(ch) && at + 1 < alphabet.length()) {
                    s.append(ch).append(alphabet.charAt(at + 1));
                } else if (!Character.isLowSurrogate(ch)) {
                    s.append(ch);
                }
            }
            return s.toString();
        }

        byte[] randomBytes(int n) {
            byte[] b = new byte[n];
            r.nextBytes(b);
            return b;
        }

        String pick(String[] values) {
            return values[r.nextInt(values.length)];
        }

        int pick(int[] values) {
            return values[r.nextInt(values.length)];
        }

        JsonNode pickNode(JsonNode... values) {
            return values[r.nextInt(values.length)];
        }
    }

    // ---------------------------------------------------------------------------------------------
    // helpers

    static byte[] bytes(JsonNode node) throws Exception {
        return Json.MAPPER.writeValueAsBytes(node);
    }

    static boolean isJson(byte[] body) {
        try {
            Json.MAPPER.readTree(body);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Percent-encodes every byte of the UTF-8 form except the unreserved characters. */
    static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int ch = b & 0xff;
            if (Character.isLetterOrDigit(ch) && ch < 0x80 || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
                out.append((char) ch);
            } else {
                out.append('%').append(String.format("%02X", ch));
            }
        }
        return out.toString();
    }

    static boolean in(String field, String[] fields) {
        return Arrays.asList(fields).contains(field);
    }

    static JsonNode get(ObjectNode rec, String path) {
        JsonNode node = rec;
        for (String part : path.split("\\.")) {
            node = node.get(part);
        }
        return node;
    }

    static void set(ObjectNode rec, String path, JsonNode value) {
        int dot = path.lastIndexOf('.');
        ObjectNode parent = dot < 0 ? rec : (ObjectNode) get(rec, path.substring(0, dot));
        parent.set(path.substring(dot + 1), value);
    }

    static void remove(ObjectNode rec, String path) {
        int dot = path.lastIndexOf('.');
        ObjectNode parent = dot < 0 ? rec : (ObjectNode) get(rec, path.substring(0, dot));
        parent.remove(path.substring(dot + 1));
    }

    static JsonNode nested(int depth) {
        JsonNode node = NODES.textNode("deep");
        for (int d = 0; d < depth; d++) {
            node = d % 2 == 0 ? NODES.objectNode().set("n", node) : NODES.arrayNode().add(node);
        }
        return node;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String[] concat(String[]... groups) {
        List<String> all = new ArrayList<>();
        for (String[] g : groups) {
            all.addAll(Arrays.asList(g));
        }
        return all.toArray(new String[0]);
    }

    /** HTTP/1.1 over a plain loopback socket, for what HttpClient will not send. */
    static final class RawHttp {

        /**
         * @param halfClose end the sending side after the request: for requests the server may
         *                  rightly wait on (an unfinished head or body), so it sees the end of input
         */
        static Outcome exchange(int port, byte[] request, boolean halfClose) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
                s.setSoTimeout(500);
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(request);
                    out.flush();
                    if (halfClose) {
                        s.shutdownOutput();
                    }
                } catch (IOException e) {
                    // the server may refuse and close before reading all of it: read what it said
                }
                InputStream in = s.getInputStream();
                byte[] buffer = new byte[8192];
                while (!complete(got.toByteArray())) {
                    if (System.nanoTime() > deadline) {
                        return new Outcome(-1, got.toString(StandardCharsets.ISO_8859_1), true, null);
                    }
                    int n;
                    try {
                        n = in.read(buffer);
                    } catch (SocketTimeoutException e) {
                        continue;
                    } catch (IOException e) {
                        break; // reset: whatever arrived is the answer
                    }
                    if (n < 0) {
                        break;
                    }
                    got.write(buffer, 0, n);
                }
            } catch (IOException e) {
                return new Outcome(-1, "", false, e.toString());
            }
            String text = got.toString(StandardCharsets.UTF_8);
            Matcher m = STATUS_LINE.matcher(text);
            if (!m.lookingAt()) {
                return new Outcome(0, text, false, null);
            }
            int head = text.indexOf("\r\n\r\n", m.end());
            return new Outcome(Integer.parseInt(m.group(1)), head < 0 ? "" : text.substring(head + 4), false, null,
                    head < 0 ? Map.of() : headers(text.substring(m.end(), head)));
        }

        /** The header lines after the status line, by name. */
        static Map<String, List<String>> headers(String head) {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
                }
            }
            return headers;
        }

        static final Pattern STATUS_LINE = Pattern.compile("(?:HTTP/\\d\\.\\d 1\\d\\d [^\\r]*\\r\\n\\r\\n)*HTTP/\\d\\.\\d (\\d{3})");
        static final Pattern INTERIM = Pattern.compile("HTTP/\\d\\.\\d 1\\d\\d");
        static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");

        /** A whole answer: its head, and its body by Content-Length or the last chunk. */
        static boolean complete(byte[] got) {
            String text = new String(got, StandardCharsets.ISO_8859_1);
            while (INTERIM.matcher(text).lookingAt() && text.contains("\r\n\r\n")) {
                text = text.substring(text.indexOf("\r\n\r\n") + 4);
            }
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                return false;
            }
            String head = text.substring(0, end);
            Matcher length = CONTENT_LENGTH.matcher(head);
            if (length.find()) {
                return text.length() - end - 4 >= Long.parseLong(length.group(1));
            }
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                return text.endsWith("0\r\n\r\n");
            }
            return false; // neither: the answer ends with the connection
        }
    }
}
