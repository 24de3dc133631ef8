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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 while customer events wait for their inventory (their offsets already committed): after the
 * restart every one of them is still waiting, and all are merged once the inventory arrives.
 */
class ParkingCrashTest {

    @TempDir
    Path data;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void eventsWaitingForInventorySurviveAKillMinus9() throws Exception {
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
            KafkaProbe.send(brokers, "customer-data", TestEvents.customers("crash", 200, 20));
            RunningBundle.await("200 parked and committed", Duration.ofSeconds(60),
                    () -> metric(metrics, "integration_records_parked") == 200 && metric(metrics, "integration_consumer_lag") == 0);
            app.kill();
        }
        try (JavaProcess app = JavaProcess.start(data.resolve("app-2.log"), null, props)) {
            app.awaitHttpOk(ready, Duration.ofSeconds(90));
            assertEquals(200, metric(metrics, "integration_records_parked"), "still waiting after the crash");
            KafkaProbe.send(brokers, "inventory-data", TestEvents.inventory(20, 1));
            RunningBundle.await("200 stored", Duration.ofSeconds(60), () -> stored(httpPort) == 200);
            RunningBundle.await("nothing parked", Duration.ofSeconds(10), () -> metric(metrics, "integration_records_parked") == 0);
            assertEquals(0, KafkaProbe.readAll(brokers, "integration-dlq").size());
            assertEquals(200, stored(httpPort), "each stored once");
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
