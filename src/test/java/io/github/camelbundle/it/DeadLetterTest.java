package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.Region;
import io.github.camelbundle.model.Tier;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison mixed into a valid stream, through the real broker: every valid event is stored, every bad
 * one is in the dead-letter topic with the right reason and the contract's headers, and nothing else.
 */
class DeadLetterTest {

    @TempDir
    Path data;

    private static Map.Entry<String, byte[]> json(String key, Object value) throws Exception {
        return Map.entry(key, Json.MAPPER.writeValueAsBytes(value));
    }

    private static Map.Entry<String, byte[]> raw(String key, String value) {
        return Map.entry(key, value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void poisonGoesToTheDeadLetterTopicWithItsReasonAndValidRecordsAreAllStored() throws Exception {
        Map<String, String> props = Map.of("generator.enabled", "false", "merge.max-wait", "2s");
        try (RunningBundle bundle = RunningBundle.start(data, props)) {
            Instant t = Instant.now();
            List<Map.Entry<String, byte[]>> inventory = new ArrayList<>();
            for (int p = 0; p < 20; p++) {
                inventory.add(json("P" + p, new InventoryRecord("P" + p, "SKU", "Kettle", "Kitchen", new BigDecimal("3.10"),
                        "USD", 50, "WH-1", 1L, t, Map.of())));
            }
            inventory.add(raw("P1", "{\"productId\":\"P1\",\"price\":\"free\"}"));
            KafkaProbe.send(bundle.brokers(), "inventory-data", inventory);

            List<Map.Entry<String, byte[]>> customers = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                customers.add(json("P" + i % 20, new CustomerEvent("ok-" + i, "C" + i, "Ada", "a@example.com", Tier.GOLD,
                        Region.NA, "P" + i % 20, 1 + i % 9, t, Map.of())));
            }
            customers.add(raw("P1", "this is not json"));
            customers.add(Map.entry("P1", new byte[] {'{', '"', (byte) 0xFF, (byte) 0xFE, '"', ':', '1', '}'}));
            customers.add(raw("P1", "{\"eventId\":\"bad-qty\",\"customerId\":\"C\",\"name\":\"A\",\"email\":\"a@b\","
                    + "\"tier\":\"GOLD\",\"region\":\"NA\",\"productId\":\"P1\",\"quantity\":5000,\"eventTime\":\"2026-01-01T00:00:00Z\"}"));
            customers.add(raw("P1", "{\"eventId\":\"no-email\",\"customerId\":\"C\",\"name\":\"A\","
                    + "\"tier\":\"GOLD\",\"region\":\"NA\",\"productId\":\"P1\",\"quantity\":1,\"eventTime\":\"2026-01-01T00:00:00Z\"}"));
            customers.add(raw("P1", "{\"pad\":\"" + "x".repeat(70_000) + "\"}"));
            customers.add(json("NOPE", new CustomerEvent("unknown-product", "C", "Ada", "a@example.com", Tier.GOLD,
                    Region.NA, "NOPE", 1, t, Map.of())));
            KafkaProbe.send(bundle.brokers(), "customer-data", customers);

            DataSource store = bundle.context().getRegistry().lookupByNameAndType("analyticsStore", AnalyticsStore.class).dataSource();
            RunningBundle.await("1000 stored and 7 dead letters", Duration.ofSeconds(60), () -> {
                try {
                    return StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records") == 1000
                            && KafkaProbe.readAll(bundle.brokers(), "integration-dlq").size() >= 7;
                } catch (RuntimeException e) {
                    return false;
                }
            });
            List<ConsumerRecord<String, byte[]>> dlq = KafkaProbe.readAll(bundle.brokers(), "integration-dlq");
            assertEquals(7, dlq.size());
            Map<String, Integer> byReason = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : dlq) {
                Map<String, String> h = KafkaProbe.headers(r);
                byReason.merge(h.get("dlq.reason"), 1, Integer::sum);
                for (String name : List.of("dlq.error.class", "dlq.error.message", "dlq.source.topic", "dlq.source.partition",
                        "dlq.source.offset", "dlq.route", "dlq.failed.at", "dlq.replay.count")) {
                    assertTrue(h.containsKey(name), name + " missing on " + h);
                }
                assertEquals("0", h.get("dlq.replay.count"));
                Instant.parse(h.get("dlq.failed.at"));
                if (h.get("dlq.error.message").startsWith("quantity")) {
                    assertEquals("quantity: must be an integer 1-1000, was 5000", h.get("dlq.error.message"));
                }
            }
            assertEquals(Map.of("INVALID_JSON", 2, "SCHEMA_VIOLATION", 3, "OVERSIZED", 1, "NO_INVENTORY", 1), byReason);
            assertEquals(1000, StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records"));
            assertEquals(7, bundle.metric("integration_records_dead_lettered_total"));
            assertEquals(1, bundle.metric("integration_records_dead_lettered_total", "reason=\"NO_INVENTORY\""));
        }
    }
}
