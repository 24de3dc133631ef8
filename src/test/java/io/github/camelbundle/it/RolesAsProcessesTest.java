package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.FreePorts;
import io.github.camelbundle.model.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three roles as three processes (bundle.roles), with the broker as a fourth, the pipeline
 * delivering to the analytics process over HTTP: every generated customer event is stored once.
 */
class RolesAsProcessesTest {

    private static final int CUSTOMERS = 3000;
    private static final String KEY = "roles-test-key";

    @TempDir
    Path data;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void threeRolesInThreeProcessesStoreEveryRecordOnce() throws Exception {
        int kafkaPort = FreePorts.next();
        int analyticsPort = FreePorts.next();
        String brokers = "127.0.0.1:" + kafkaPort;
        List<String> common = List.of("kafka.embedded.enabled=false", "kafka.brokers=" + brokers,
                "analytics.api-key=" + KEY, "monitor.interval=5s");
        try (JavaProcess broker = JavaProcess.start(data.resolve("broker.log"), "BROKER READY", List.of(), "broker",
                "--port=" + kafkaPort, "--data-dir=" + data.resolve("kafka"))) {
            broker.awaitReady(Duration.ofSeconds(60));
            int[] management = {FreePorts.next(), FreePorts.next(), FreePorts.next()};
            try (JavaProcess analytics = JavaProcess.start(data.resolve("analytics.log"), null, concat(common,
                         "bundle.roles=analytics", "camel.server.port=" + analyticsPort,
                         "camel.management.port=" + management[0],
                         "analytics.datasource.url=jdbc:h2:file:" + data.resolve("analytics") + ";DB_CLOSE_ON_EXIT=FALSE"));
                 JavaProcess pipeline = JavaProcess.start(data.resolve("pipeline.log"), null, concat(common,
                         "bundle.roles=pipeline", "camel.server.port=" + FreePorts.next(),
                         "merge.parking.datasource.url=jdbc:h2:file:" + data.resolve("parking") + ";DB_CLOSE_ON_EXIT=FALSE",
                         "camel.management.port=" + management[1],
                         "delivery.url=http://127.0.0.1:" + analyticsPort + "/analytics/data"));
                 JavaProcess generators = JavaProcess.start(data.resolve("generators.log"), null, concat(common,
                         "bundle.roles=generators", "camel.server.enabled=false",
                         "camel.management.port=" + management[2],
                         "generator.customers.limit=" + CUSTOMERS, "generator.customers.rate-per-second=0",
                         "generator.inventory.limit=1000", "generator.inventory.rate-per-second=0",
                         "generator.products=500"))) {
                analytics.awaitHttpOk("http://127.0.0.1:" + management[0] + "/observe/health/ready", Duration.ofSeconds(90));
                pipeline.awaitHttpOk("http://127.0.0.1:" + management[1] + "/observe/health/ready", Duration.ofSeconds(90));
                generators.awaitHttpOk("http://127.0.0.1:" + management[2] + "/observe/health/ready", Duration.ofSeconds(90));
                String base = "http://127.0.0.1:" + analyticsPort;
                RunningBundle.await(CUSTOMERS + " stored by the analytics process", Duration.ofSeconds(120),
                        () -> stored(base) == CUSTOMERS);

                Set<String> published = new HashSet<>();
                for (ConsumerRecord<String, byte[]> r : KafkaProbe.readAll(brokers, "customer-data")) {
                    published.add(Json.MAPPER.readTree(r.value()).get("eventId").asText());
                }
                assertEquals(CUSTOMERS, published.size());
                assertEquals(published, storedIds(base), "every published event stored, nothing else");
                assertEquals(0, KafkaProbe.readAll(brokers, "integration-dlq").size());
            }
        }
    }

    private long stored(String base) {
        try {
            return Json.MAPPER.readTree(get(base + "/analytics/summary")).get("records").asLong();
        } catch (Exception e) {
            return -1;
        }
    }

    private Set<String> storedIds(String base) throws Exception {
        Set<String> ids = new HashSet<>();
        String after = "";
        while (after != null) {
            JsonNode page = Json.MAPPER.readTree(get(base + "/analytics/records?limit=1000&after=" + after));
            page.get("records").forEach(r -> ids.add(r.get("eventId").asText()));
            after = page.get("next").isNull() ? null : page.get("next").asText();
        }
        return ids;
    }

    private String get(String url) throws Exception {
        // stored records need a key (the summary does not, but the key does no harm there)
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", KEY).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> all = new java.util.ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }
}
