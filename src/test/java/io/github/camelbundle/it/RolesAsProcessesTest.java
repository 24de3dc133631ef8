package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.camelbundle.FreePorts;
import io.github.camelbundle.model.Json;
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
                StoredRecords store = new StoredRecords("http://127.0.0.1:" + analyticsPort, KEY);
                RunningBundle.await(CUSTOMERS + " stored by the analytics process", Duration.ofSeconds(120),
                        () -> store.count() == CUSTOMERS);

                Set<String> published = new HashSet<>();
                for (ConsumerRecord<String, byte[]> r : KafkaProbe.readAll(brokers, "customer-data")) {
                    published.add(Json.MAPPER.readTree(r.value()).get("eventId").asText());
                }
                assertEquals(CUSTOMERS, published.size());
                assertEquals(published, store.eventIds(), "every published event stored, nothing else");
                assertEquals(0, KafkaProbe.readAll(brokers, "integration-dlq").size());
            }
        }
    }




    private static List<String> concat(List<String> base, String... more) {
        List<String> all = new java.util.ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }
}
