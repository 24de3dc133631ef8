package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.model.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dead-letter admin endpoints against the real broker: report, replay, and the loop guard. */
class DeadLetterReplayTest {

    @TempDir
    Path data;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private JsonNode admin(RunningBundle bundle, String method, String pathAndQuery, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(bundle.baseUrl() + pathAndQuery));
        b = method.equals("POST") ? b.POST(HttpRequest.BodyPublishers.noBody()) : b.GET();
        if (key != null) {
            b.header("X-API-Key", key);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = Json.MAPPER.readTree(r.body());
        ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("_status", r.statusCode());
        return body;
    }

    @Test
    void noInventoryDeadLettersAreDeliveredWhenReplayedAfterTheirInventoryExists() throws Exception {
        try (RunningBundle bundle = RunningBundle.start(data, Map.of("generator.enabled", "false", "merge.max-wait", "1s"))) {
            DataSource store = bundle.context().getRegistry().lookupByNameAndType("analyticsStore", AnalyticsStore.class).dataSource();
            KafkaProbe.send(bundle.brokers(), "customer-data", TestEvents.customers("late", 5, 1));
            RunningBundle.await("5 NO_INVENTORY dead letters", Duration.ofSeconds(30),
                    () -> KafkaProbe.readAll(bundle.brokers(), "integration-dlq").size() == 5);

            assertEquals(401, admin(bundle, "GET", "/admin/dlq", null).get("_status").asInt());
            JsonNode report = admin(bundle, "GET", "/admin/dlq", RunningBundle.API_KEY);
            assertEquals(5, report.get("depth").asLong());
            assertEquals(5, report.get("byReason").get("NO_INVENTORY").asLong());
            assertTrue(report.get("oldestAgeSeconds").asLong() >= 0);
            assertEquals(5, report.get("recent").size());

            KafkaProbe.send(bundle.brokers(), "inventory-data", TestEvents.inventory(1, 1));
            assertEquals(400, admin(bundle, "POST", "/admin/dlq/replay?reason=NOPE", RunningBundle.API_KEY).get("_status").asInt());
            JsonNode replay = admin(bundle, "POST", "/admin/dlq/replay?reason=NO_INVENTORY&limit=100", RunningBundle.API_KEY);
            assertEquals(5, replay.get("replayed").asInt());
            assertEquals(0, replay.get("parked").asInt());
            RunningBundle.await("the 5 replayed events stored", Duration.ofSeconds(30),
                    () -> StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records") == 5);
            // replay again: those dead letters were replayed already, nothing more goes out
            assertEquals(0, admin(bundle, "POST", "/admin/dlq/replay?reason=NO_INVENTORY", RunningBundle.API_KEY)
                    .get("replayed").asInt());
            assertEquals(5, StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records"));
        }
    }

    @Test
    void aRecordReplayedTooOftenIsParked() throws Exception {
        Map<String, String> props = Map.of("generator.enabled", "false", "merge.max-wait", "1s", "delivery.max-replays", "2");
        try (RunningBundle bundle = RunningBundle.start(data, props)) {
            KafkaProbe.send(bundle.brokers(), "customer-data", TestEvents.customers("loop", 1, 1));
            for (int round = 1; round <= 3; round++) {
                int expected = round;
                RunningBundle.await(expected + " dead letter(s)", Duration.ofSeconds(30),
                        () -> KafkaProbe.readAll(bundle.brokers(), "integration-dlq").size() == expected);
                JsonNode replay = admin(bundle, "POST", "/admin/dlq/replay?reason=NO_INVENTORY", RunningBundle.API_KEY);
                assertEquals(round < 3 ? 1 : 0, replay.get("replayed").asInt(), "round " + round);
                assertEquals(round < 3 ? 0 : 1, replay.get("parked").asInt(), "round " + round);
            }
            List<ConsumerRecord<String, byte[]>> dlq = KafkaProbe.readAll(bundle.brokers(), "integration-dlq");
            assertEquals(List.of("0", "1", "2"), dlq.stream().map(r -> KafkaProbe.headers(r).get("dlq.replay.count"))
                    .sorted().toList());
            List<ConsumerRecord<String, byte[]>> parked = KafkaProbe.readAll(bundle.brokers(), "integration-dlq-parked");
            assertEquals(1, parked.size());
            assertEquals("2", KafkaProbe.headers(parked.get(0)).get("dlq.replay.count"));
            assertTrue(new String(parked.get(0).value()).contains("\"eventId\":\"loop-0\""));
        }
    }
}
