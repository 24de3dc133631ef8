package io.github.camelbundle.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.FreePorts;
import io.github.camelbundle.model.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Runs the broker and the bundle's roles as separate processes for the fault suite, breaks them, and
 * counts every record twice: with the bundle's own reconciliation endpoint, and with the test's own
 * count (event ids on the customer topic, in the store page by page, in the dead-letter topic).
 */
final class FaultHarness implements AutoCloseable {

    static final String KEY = "fault-suite-key";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    final Path data;
    final int kafkaPort;
    final String brokers;
    private JavaProcess broker;
    private final List<JavaProcess> processes = new ArrayList<>();

    FaultHarness(Path data) throws Exception {
        this.data = data;
        this.kafkaPort = FreePorts.next();
        this.brokers = "127.0.0.1:" + kafkaPort;
        startBroker();
    }

    void startBroker() throws Exception {
        broker = JavaProcess.start(data.resolve("broker-" + System.nanoTime() + ".log"), "BROKER READY", List.of(),
                "broker", "--port=" + kafkaPort, "--data-dir=" + data.resolve("kafka"));
        broker.awaitReady(Duration.ofSeconds(90));
    }

    void killBroker() throws InterruptedException {
        broker.kill();
    }

    /** One bundle process: its roles, its own ports and data, plus extra system properties. */
    final class App {
        final String name;
        final int http = FreePorts.next();
        final int management = FreePorts.next();
        final List<String> props;
        JavaProcess process;

        App(String name, List<String> extra) throws Exception {
            this.name = name;
            List<String> p = new ArrayList<>(List.of("kafka.embedded.enabled=false", "kafka.brokers=" + brokers,
                    "analytics.api-key=" + KEY, "monitor.interval=5s", "camel.server.port=" + http,
                    "camel.management.port=" + management,
                    "analytics.datasource.url=jdbc:h2:file:" + data.resolve(name + "-analytics") + ";DB_CLOSE_ON_EXIT=FALSE",
                    "merge.parking.datasource.url=jdbc:h2:file:" + data.resolve(name + "-parking") + ";DB_CLOSE_ON_EXIT=FALSE"));
            p.addAll(extra);
            this.props = p;
        }

        App start() throws Exception {
            process = JavaProcess.start(data.resolve(name + "-" + System.nanoTime() + ".log"), null, props);
            processes.add(process);
            process.awaitHttpOk("http://127.0.0.1:" + management + "/observe/health/live", Duration.ofSeconds(120));
            return this;
        }

        void kill() throws InterruptedException {
            process.kill();
        }

        void stop() throws InterruptedException {
            process.close();
        }

        String base() {
            return "http://127.0.0.1:" + http;
        }
    }

    App app(String name, String... extra) throws Exception {
        return new App(name, List.of(extra));
    }

    /** GET /admin/reconciliation of a process running the pipeline role. */
    JsonNode reconcile(App pipeline) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(pipeline.base() + "/admin/reconciliation"))
                .header("X-API-Key", KEY).timeout(Duration.ofSeconds(120)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("reconciliation answered " + response.statusCode() + ": " + response.body());
        }
        return Json.MAPPER.readTree(response.body());
    }

    /** Waits until every generated customer event is stored, dead-lettered or parked, and nothing is in flight. */
    JsonNode awaitSettled(App pipeline, long expectedEvents, Duration timeout) throws Exception {
        return awaitSettled(pipeline, expectedEvents, timeout, false);
    }

    /**
     * The same, and nothing parked either: for scenarios where every event's inventory exists, so a parked
     * event is one whose release is still being delivered (against a failing API, by the parking lot's
     * recovery), not one that will expire.
     */
    JsonNode awaitDelivered(App pipeline, long expectedEvents, Duration timeout) throws Exception {
        return awaitSettled(pipeline, expectedEvents, timeout, true);
    }

    private JsonNode awaitSettled(App pipeline, long expectedEvents, Duration timeout, boolean nothingParked)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode r = null;
        while (System.nanoTime() < deadline) {
            try {
                r = reconcile(pipeline);
                long events = r.get("generated").get("customerEvents").asLong();
                if (events >= expectedEvents && r.get("lost").asLong() == 0 && r.get("inFlight").asLong() == 0
                        && (!nothingParked || r.get("parked").asLong() == 0)) {
                    return r;
                }
            } catch (Exception notYet) {
                // the process may be restarting
            }
            // short: the poison scenario compares the times two runs take to settle
            Thread.sleep(500);
        }
        return r;
    }

    /**
     * Waits until the analytics store holds at least {@code records} (its summary's count): faults are
     * injected after such a condition, not after a sleep that a slow machine turns into "before anything".
     */
    void awaitStored(App analytics, long records, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = -1;
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> summary = HTTP.send(HttpRequest.newBuilder(URI.create(analytics.base()
                        + "/analytics/summary")).header("X-API-Key", KEY).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                seen = Json.MAPPER.readTree(summary.body()).path("records").asLong(-1);
                if (seen >= records) {
                    return;
                }
            } catch (Exception notYet) {
                // starting or restarting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the store held " + seen + " records, not " + records + ", within " + timeout);
    }

    /** The test's own count: event ids produced on the customer topic, stored, and dead-lettered. */
    record Count(Set<String> produced, Set<String> stored, Set<String> deadLettered) {
        /** Produced, and neither stored nor dead-lettered. */
        Set<String> missing() {
            Set<String> missing = new HashSet<>(produced);
            missing.removeAll(stored);
            missing.removeAll(deadLettered);
            return missing;
        }
    }

    /**
     * Counts independently of the bundle's reconciliation: the event ids of the customer topic and the
     * DLQ read from Kafka here, the store's read page by page over its API.
     */
    Count count(App analytics) throws Exception {
        Set<String> stored = new HashSet<>();
        String after = "";
        while (after != null) {
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(analytics.base()
                    + "/analytics/records?limit=1000&after=" + java.net.URLEncoder.encode(after, java.nio.charset.StandardCharsets.UTF_8)))
                    .header("X-API-Key", KEY).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = Json.MAPPER.readTree(page.body());
            for (JsonNode record : body.get("records")) {
                stored.add(record.get("eventId").asText());
            }
            after = body.get("next").isNull() ? null : body.get("next").asText();
        }
        return new Count(eventIds(KafkaProbe.readAll(brokers, "customer-data")), stored,
                eventIds(KafkaProbe.readAll(brokers, "integration-dlq")));
    }

    /** The eventId of every record that is JSON with one (a dead letter holds the event, or the merged record). */
    private static Set<String> eventIds(List<ConsumerRecord<String, byte[]>> records) {
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                JsonNode id = Json.MAPPER.readTree(r.value()).path("eventId");
                if (id.isTextual()) {
                    ids.add(id.asText());
                }
            } catch (Exception notJson) {
                // poison: no event id to account for
            }
        }
        return ids;
    }

    static String row(String scenario, JsonNode r, double seconds) {
        return String.format(Locale.US, "| %-34s | %9d | %9d | %9d | %6d | %4d | %10d | %6.0f s | %s |", scenario,
                r.get("generated").get("customerEvents").asLong() + r.get("generated").get("poisonRecords").asLong(),
                r.get("stored").asLong(), r.get("deadLettered").get("total").asLong(), r.get("parked").asLong(),
                r.get("lost").asLong(), r.get("storedDuplicates").asLong(), seconds, r.get("deadLettered").get("byReason"));
    }

    static String header() {
        return "| scenario                           | generated |    stored | dead-lett | parked | lost | duplicates |   time   | dead letters by reason |\n"
                + "|------------------------------------|-----------|-----------|-----------|--------|------|------------|----------|------------------------|";
    }

    @Override
    public void close() throws Exception {
        for (JavaProcess p : processes) {
            if (p.alive()) {
                p.kill();
            }
        }
        if (broker != null && broker.alive()) {
            broker.close();
        }
        keepLogs();
    }

    /** With -Dfault.logs=DIR the processes' logs are copied there (the data directory is a temporary one). */
    private void keepLogs() throws IOException {
        String dir = System.getProperty("fault.logs");
        if (dir == null || dir.isBlank()) {
            return;
        }
        Path target = Files.createDirectories(Path.of(dir));
        try (var logs = Files.list(data)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                Files.copy(log, target.resolve(data.getFileName() + "-" + log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
