package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.FreePorts;
import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.analytics.StoreDataSource;
import io.github.camelbundle.model.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 while 10,000 customer events wait for their inventory (their offsets already committed): after
 * the restart every one of them is still waiting, and all are stored once, each, when the inventory arrives.
 */
class ParkingCrashTest {

    @TempDir
    Path data;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void eventsWaitingForInventorySurviveAKillMinus9() throws Exception {
        int events = 10_000;
        int kafkaPort = FreePorts.next();
        int httpPort = FreePorts.next();
        int managementPort = FreePorts.next();
        String brokers = "127.0.0.1:" + kafkaPort;
        List<String> props = List.of("kafka.embedded.port=" + kafkaPort, "kafka.embedded.data-dir=" + data.resolve("kafka"),
                "camel.server.port=" + httpPort, "camel.management.port=" + managementPort,
                "analytics.datasource.url=jdbc:h2:file:" + data.resolve("analytics") + ";DB_CLOSE_ON_EXIT=FALSE",
                "merge.parking.datasource.url=jdbc:h2:file:" + data.resolve("parking") + ";DB_CLOSE_ON_EXIT=FALSE",
                "analytics.api-key=crash-test", "generator.enabled=false", "merge.max-wait=300s");
        String metrics = "http://127.0.0.1:" + managementPort + "/observe/metrics";
        String ready = "http://127.0.0.1:" + managementPort + "/observe/health/ready";

        try (JavaProcess app = JavaProcess.start(data.resolve("app-1.log"), null, props)) {
            app.awaitHttpOk(ready, Duration.ofSeconds(90));
            KafkaProbe.send(brokers, "customer-data", TestEvents.customers("crash", events, 1000));
            RunningBundle.await(events + " parked and committed", Duration.ofSeconds(120),
                    () -> metric(metrics, "integration_records_parked") == events && metric(metrics, "integration_consumer_lag") == 0);
            app.kill();
        }
        try (JavaProcess app = JavaProcess.start(data.resolve("app-2.log"), null, props)) {
            app.awaitHttpOk(ready, Duration.ofSeconds(90));
            assertEquals(events, metric(metrics, "integration_records_parked"), "still waiting after the crash");
            KafkaProbe.send(brokers, "inventory-data", TestEvents.inventory(1000, 1));
            RunningBundle.await(events + " in the summary", Duration.ofSeconds(120), () -> stored(httpPort) == events);
            RunningBundle.await("nothing waiting", Duration.ofSeconds(30), () -> metric(metrics, "integration_records_parked") == 0);
            assertEquals(0, KafkaProbe.readAll(brokers, "integration-dlq").size());
            assertEquals(events, stored(httpPort), "the summary counts each once");
        }
        // the store itself, read once the process is gone: exactly the events sent
        try (var dataSource = StoreDataSource.create("jdbc:h2:file:" + data.resolve("analytics"), "sa", "", 2)) {
            assertEquals(IntStream.range(0, events).mapToObj(i -> "crash-" + i).collect(Collectors.toSet()),
                    new AnalyticsStore(dataSource).eventIds());
        }
    }

    private long stored(int port) {
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/analytics/summary"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            JsonNode summary = Json.MAPPER.readTree(body);
            return summary.get("records").asLong();
        } catch (Exception e) {
            return -1;
        }
    }

    private double metric(String url, String name) {
        try {
            String text = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
            for (String line : text.split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return -1;
        } catch (Exception e) {
            return -1;
        }
    }
}
