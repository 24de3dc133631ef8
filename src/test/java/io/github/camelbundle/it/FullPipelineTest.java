package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.model.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline against the real embedded broker, real HTTP and the real H2 store: every
 * customer event the generator published is stored exactly once, and a restart continues from the
 * committed offsets with the stored records kept.
 */
class FullPipelineTest {

    private static final int CUSTOMERS = 5_000;

    @TempDir
    Path data;

    private static Map<String, String> boundedRun(int customers) {
        return Map.of(
                "generator.customers.rate-per-second", "0",
                "generator.customers.limit", Integer.toString(customers),
                "generator.inventory.rate-per-second", "0",
                "generator.inventory.limit", "3000",
                "generator.products", "1000",
                "generator.max-per-tick", "500");
    }

    @Test
    void everyGeneratedCustomerEventIsStoredExactlyOnce() throws Exception {
        try (RunningBundle bundle = RunningBundle.start(data, boundedRun(CUSTOMERS))) {
            DataSource store = bundle.context().getRegistry().lookupByNameAndType("analyticsStore",
                    io.github.camelbundle.analytics.AnalyticsStore.class).dataSource();
            RunningBundle.await(CUSTOMERS + " records stored", Duration.ofSeconds(90),
                    () -> StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records") >= CUSTOMERS);

            // what the generator published, read back from Kafka independently of the pipeline
            Set<String> published = new HashSet<>();
            for (ConsumerRecord<String, byte[]> r : KafkaProbe.readAll(bundle.brokers(), "customer-data")) {
                JsonNode event = Json.MAPPER.readTree(r.value());
                published.add(event.get("eventId").asText());
                assertEquals(r.key(), event.get("productId").asText(), "customer events are keyed by productId");
            }
            assertEquals(CUSTOMERS, published.size());
            assertEquals(published, StoreProbe.eventIds(store), "stored = published, exactly");
            assertEquals(CUSTOMERS, StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records"));

            // the API reports the same count, and the contract's counters moved with the records
            JsonNode summary = Json.MAPPER.readTree(bundle.get(bundle.baseUrl() + "/analytics/summary").body());
            assertEquals(CUSTOMERS, summary.get("records").asLong());
            assertEquals(CUSTOMERS, bundle.metric("integration_records_generated_total", "type=\"customer\""));
            assertEquals(3000, bundle.metric("integration_records_generated_total", "type=\"inventory\""));
            assertEquals(CUSTOMERS, bundle.metric("integration_records_delivered_total"));
            assertEquals(CUSTOMERS, bundle.metric("integration_records_merged_total"));
            assertEquals(0, bundle.metric("integration_records_dead_lettered_total"));
            assertEquals(0, bundle.metric("integration_records_parked"));
            assertTrue(bundle.metric("integration_delivery_latency_seconds_count") >= CUSTOMERS);

            JsonNode health = Json.MAPPER.readTree(bundle.get(bundle.managementUrl() + "/observe/health").body());
            assertEquals("UP", health.get("status").asText());
        }
    }

    @Test
    void restartContinuesFromCommittedOffsetsAndKeepsStoredRecords() throws Exception {
        int first = 2_000;
        try (RunningBundle bundle = RunningBundle.start(data, boundedRun(first))) {
            DataSource store = bundle.context().getRegistry().lookupByNameAndType("analyticsStore",
                    io.github.camelbundle.analytics.AnalyticsStore.class).dataSource();
            RunningBundle.await(first + " records stored", Duration.ofSeconds(90),
                    () -> StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records") >= first);
        }
        // second run on the same broker log and database: 1,000 more events
        try (RunningBundle bundle = RunningBundle.start(data, boundedRun(1_000))) {
            DataSource store = bundle.context().getRegistry().lookupByNameAndType("analyticsStore",
                    io.github.camelbundle.analytics.AnalyticsStore.class).dataSource();
            RunningBundle.await("3,000 records stored", Duration.ofSeconds(90),
                    () -> StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records") >= first + 1_000);
            assertEquals(first + 1_000, KafkaProbe.readAll(bundle.brokers(), "customer-data").size());
            assertEquals(first + 1_000, StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records"));
            // offsets were committed: the first run's records are not delivered again
            assertEquals(0, bundle.metric("analytics_records_duplicate_total"));
            assertEquals(1_000, bundle.metric("integration_records_delivered_total"));
        }
    }
}
