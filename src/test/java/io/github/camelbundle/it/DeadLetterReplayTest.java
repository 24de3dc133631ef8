package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
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
            // present and plausible: asLong() of a missing field reads 0, which ">= 0" would accept
            assertTrue(report.get("oldestAgeSeconds").isIntegralNumber(), report.toString());
            assertTrue(report.get("oldestAgeSeconds").asLong() >= 0 && report.get("oldestAgeSeconds").asLong() < 120,
                    report.toString());
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

    private static List<ConsumerRecord<String, byte[]>> dlq(RunningBundle bundle) {
        return KafkaProbe.readAll(bundle.brokers(), "integration-dlq");
    }

    /**
     * Progress is one cursor per reason, also without a reason: dead letters replayed by reason are not
     * replayed again by a call without one (before, "ALL" had a cursor of its own and replayed them
     * twice), and the other way round.
     */
    @Test
    void replayByReasonThenWithoutOneReplaysEachDeadLetterOnce() throws Exception {
        try (RunningBundle bundle = RunningBundle.start(data, Map.of("generator.enabled", "false", "merge.max-wait", "1s"))) {
            KafkaProbe.send(bundle.brokers(), "customer-data", TestEvents.customers("once", 3, 1));
            RunningBundle.await("3 dead letters", Duration.ofSeconds(30), () -> dlq(bundle).size() == 3);
            assertEquals(3, admin(bundle, "POST", "/admin/dlq/replay?reason=NO_INVENTORY", RunningBundle.API_KEY)
                    .get("replayed").asInt());
            // still no inventory: the 3 replayed events come back as dead letters, their replay count signed and kept
            RunningBundle.await("3 more dead letters", Duration.ofSeconds(30), () -> dlq(bundle).size() == 6);
            assertEquals(List.of("0", "0", "0", "1", "1", "1"), dlq(bundle).stream()
                    .map(r -> KafkaProbe.headers(r).get("dlq.replay.count")).sorted().toList());

            JsonNode all = admin(bundle, "POST", "/admin/dlq/replay", RunningBundle.API_KEY);
            assertEquals(200, all.get("_status").asInt(), all.toString());
            assertEquals(3, all.get("replayed").asInt(), "only the 3 not replayed yet: " + all);
            assertEquals(0, admin(bundle, "POST", "/admin/dlq/replay?reason=NO_INVENTORY", RunningBundle.API_KEY)
                    .get("replayed").asInt());
            assertEquals(0, admin(bundle, "POST", "/admin/dlq/replay", RunningBundle.API_KEY).get("replayed").asInt());
        }
    }

    /**
     * A send the broker refuses is neither counted as replayed nor passed by the cursor: the call
     * answers 503 and the next one replays those letters (before, they were counted and skipped for good).
     */
    @Test
    void aFailedSendIsNeitherCountedNorCommittedPast() throws Exception {
        try (RunningBundle bundle = RunningBundle.start(data, Map.of("generator.enabled", "false"));
             Admin kafka = Admin.create(Map.of("bootstrap.servers", bundle.brokers()))) {
            // dead letters without a key: a compacted topic refuses them at once (INVALID_RECORD)
            byte[] event = TestEvents.customers("fail", 1, 1).get(0).getValue();
            for (int i = 0; i < 3; i++) {
                KafkaProbe.send(bundle.brokers(), "integration-dlq", null, event,
                        Map.of("dlq.reason", "NO_INVENTORY", "dlq.source.topic", "customer-data"));
            }
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "customer-data");
            kafka.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                    new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.SET)))).all().get();
            JsonNode refused = admin(bundle, "POST", "/admin/dlq/replay?reason=NO_INVENTORY", RunningBundle.API_KEY);
            assertEquals(503, refused.get("_status").asInt(), refused.toString());
            assertEquals(0, refused.get("replayed").asInt(), refused.toString());
            assertEquals(3, refused.get("failed").asInt(), refused.toString());

            kafka.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                    new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.SET)))).all().get();
            JsonNode again = admin(bundle, "POST", "/admin/dlq/replay?reason=NO_INVENTORY", RunningBundle.API_KEY);
            assertEquals(200, again.get("_status").asInt(), again.toString());
            assertEquals(3, again.get("replayed").asInt(), again.toString());
        }
    }

    /**
     * Dead letters that cannot be replayed are skipped with the reason, counted, and passed (never a
     * 500, never retried forever): no dlq.reason, no dlq.source.topic, a source topic that is not an
     * input topic (replay never writes where a header says), a payload cut to fit the DLQ.
     */
    @Test
    void deadLettersThatCannotBeReplayedAreSkippedWithAReason() throws Exception {
        try (RunningBundle bundle = RunningBundle.start(data, Map.of("generator.enabled", "false"))) {
            byte[] event = TestEvents.customers("skip", 1, 1).get(0).getValue();
            String b = bundle.brokers();
            KafkaProbe.send(b, "integration-dlq", "P0", event, Map.of("dlq.reason", "NO_INVENTORY",
                    "dlq.source.topic", "integration-dlq-parked"));
            KafkaProbe.send(b, "integration-dlq", "P0", event, Map.of("dlq.reason", "NO_INVENTORY"));
            KafkaProbe.send(b, "integration-dlq", "P0", event, Map.of("dlq.source.topic", "customer-data"));
            KafkaProbe.send(b, "integration-dlq", "P0", event, Map.of("dlq.reason", "REJECTED_BY_API",
                    "dlq.source.topic", "customer-data", "dlq.original.size", "9000000", "dlq.original.sha256", "ab12"));
            KafkaProbe.send(b, "integration-dlq", "P0", event, Map.of("dlq.reason", "NO_INVENTORY",
                    "dlq.source.topic", "customer-data"));

            JsonNode replay = admin(bundle, "POST", "/admin/dlq/replay", RunningBundle.API_KEY);
            assertEquals(200, replay.get("_status").asInt(), replay.toString());
            assertEquals(1, replay.get("replayed").asInt(), replay.toString());
            assertEquals(4, replay.get("skipped").asInt(), replay.toString());
            String why = replay.get("skippedBy").toString();
            for (String expected : List.of("not an input topic: integration-dlq-parked", "dlq.source.topic missing",
                    "dlq.reason missing", "payload cut")) {
                assertTrue(why.contains(expected), expected + " in " + why);
            }
            assertEquals(0, KafkaProbe.readAll(b, "integration-dlq-parked").size(), "nothing written where a header said");
            assertEquals(1, KafkaProbe.readAll(b, "customer-data").size(), "only the one replayable letter");
            JsonNode again = admin(bundle, "POST", "/admin/dlq/replay", RunningBundle.API_KEY);
            assertEquals(0, again.get("examined").asInt(), "skipped letters are passed: " + again);
        }
    }

    /**
     * dlq.replay.count and merge.wait.extensions from an outside producer (unsigned, or with a wrong
     * signature) are ignored: the event is dead-lettered with replay count 0 and its own wait only, and
     * replay re-publishes it instead of parking it (before, the forged count parked it at once).
     */
    @Test
    void steeringHeadersForgedByAnOutsideProducerAreIgnored() throws Exception {
        Map<String, String> props = Map.of("generator.enabled", "false", "merge.max-wait", "1s", "delivery.max-replays", "2");
        try (RunningBundle bundle = RunningBundle.start(data, props)) {
            List<Map.Entry<String, byte[]>> events = TestEvents.customers("forged", 2, 1);
            KafkaProbe.send(bundle.brokers(), "customer-data", events.get(0).getKey(), events.get(0).getValue(),
                    Map.of("dlq.replay.count", "2", "merge.wait.extensions", "3"));
            KafkaProbe.send(bundle.brokers(), "customer-data", events.get(1).getKey(), events.get(1).getValue(),
                    Map.of("dlq.replay.count", "2", "merge.wait.extensions", "3", "bundle.signature", "00ff"));
            RunningBundle.await("2 dead letters", Duration.ofSeconds(30), () -> dlq(bundle).size() == 2);
            for (ConsumerRecord<String, byte[]> letter : dlq(bundle)) {
                Map<String, String> h = KafkaProbe.headers(letter);
                assertEquals("0", h.get("dlq.replay.count"), "forged count ignored");
                assertFalse(h.get("dlq.error.message").contains("extended or handed over"), h.get("dlq.error.message"));
            }
            JsonNode replay = admin(bundle, "POST", "/admin/dlq/replay?reason=NO_INVENTORY", RunningBundle.API_KEY);
            assertEquals(2, replay.get("replayed").asInt(), replay.toString());
            assertEquals(0, replay.get("parked").asInt(), replay.toString());
        }
    }
}
