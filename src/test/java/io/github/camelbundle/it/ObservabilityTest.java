package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.kafka.EmbeddedKafkaBroker;
import io.github.camelbundle.model.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metrics, health and the monitor line, scraped from a running bundle. */
class ObservabilityTest {

    private static final List<String> CONTRACT_METRICS = List.of(
            "integration_records_generated_total", "integration_records_consumed_total",
            "integration_records_merged_total", "integration_records_delivered_total",
            "integration_records_dead_lettered_total", "integration_records_parked",
            "integration_delivery_latency_seconds_bucket", "integration_circuit_state",
            "analytics_records_stored_total", "analytics_records_duplicate_total",
            "integration_dlq_depth", "integration_consumer_lag", "kafka_consumer_fetch_manager_records_lag",
            "camel_exchanges_total", "jvm_memory_used_bytes");

    @TempDir
    Path data;

    @Test
    void contractMetricsCountExactlyTheRecordsOfABoundedRun() throws Exception {
        Map<String, String> run = Map.of("generator.customers.limit", "3000", "generator.customers.rate-per-second", "0",
                "generator.inventory.limit", "600", "generator.inventory.rate-per-second", "0", "generator.products", "400",
                "metrics.untimed-routes", "merge-stall-watch");
        try (RunningBundle bundle = RunningBundle.start(data, run)) {
            DataSource store = bundle.context().getRegistry().lookupByNameAndType("analyticsStore", AnalyticsStore.class).dataSource();
            RunningBundle.await("3000 stored", Duration.ofSeconds(60),
                    () -> StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records") == 3000);
            RunningBundle.await("offsets committed", Duration.ofSeconds(20), () -> metricOrMinus(bundle, "integration_consumer_lag") == 0);
            String text = bundle.get(bundle.managementUrl() + "/observe/metrics").body();
            for (String name : CONTRACT_METRICS) {
                assertTrue(text.contains("\n" + name), name + " is exposed");
            }
            assertEquals(3000, bundle.metric("integration_records_generated_total", "type=\"customer\""));
            assertEquals(600, bundle.metric("integration_records_generated_total", "type=\"inventory\""));
            assertEquals(3000, bundle.metric("integration_records_consumed_total", "topic=\"customer-data\""));
            assertEquals(3000, bundle.metric("integration_records_merged_total"));
            assertEquals(3000, bundle.metric("integration_records_delivered_total"));
            assertEquals(3000, bundle.metric("analytics_records_stored_total"));
            assertEquals(3000, bundle.metric("integration_delivery_latency_seconds_count"));
            assertEquals(0, bundle.metric("integration_records_dead_lettered_total"));
            assertEquals(0, bundle.metric("integration_dlq_depth"));
            assertEquals(0, bundle.metric("integration_circuit_state"));
            // route timers: the consumer route is timed (an exchange per poll); a route named in metrics.untimed-routes is not
            double polls = bundle.metric("camel_exchanges_total", "routeId=\"kafka-to-merge\"");
            assertTrue(polls > 0 && polls < 3600, "kafka-to-merge counts polls, not records: " + polls);
            assertTrue(text.lines().noneMatch(l -> l.startsWith("camel_exchanges_total{") && l.contains("routeId=\"merge-stall-watch\"")),
                    "merge-stall-watch is not timed");

            JsonNode health = Json.MAPPER.readTree(bundle.get(bundle.managementUrl() + "/observe/health?exposureLevel=full").body());
            assertEquals("UP", health.get("status").asText());
            assertTrue(health.toString().contains("merge consumer holds"), health.toString());
            assertTrue(health.toString().contains("analytics database answers"), health.toString());

            String line = bundle.context().getRegistry().lookupByNameAndType("monitorLine",
                    io.github.camelbundle.monitor.MonitorLine.class).line();
            assertTrue(line.matches("delivered 3,000 \\(\\+[\\d,]+\\) \\| .* \\| parked 0 \\| DLQ 0 \\| lag 0 \\| circuit closed \\| cpu \\d+% heap [\\d,]+ MB \\| 100\\.0% of 3,000"), line);
        }
    }

    @Test
    void readinessGoesDownWhileTheBrokerIsStoppedAndUpWhenItIsBack() throws Exception {
        try (RunningBundle bundle = RunningBundle.start(data, Map.of("generator.customers.rate-per-second", "20"))) {
            String ready = bundle.managementUrl() + "/observe/health/ready";
            RunningBundle.await("ready", Duration.ofSeconds(30), () -> status(bundle, ready) == 200);
            EmbeddedKafkaBroker broker = bundle.context().getRegistry().lookupByNameAndType("embeddedKafkaBroker",
                    EmbeddedKafkaBroker.class);
            broker.close();
            RunningBundle.await("ready DOWN without the broker", Duration.ofSeconds(30), () -> status(bundle, ready) == 503);
            assertEquals(200, status(bundle, bundle.managementUrl() + "/observe/health/live"), "liveness stays UP");
            String detail = bundle.get(bundle.managementUrl() + "/observe/health?exposureLevel=full").body();
            assertTrue(detail.contains("does not answer"), detail);
            // anyone who reaches the port sees why, but not where the broker is nor the clients' error text
            String everything = bundle.get(bundle.managementUrl()
                    + "/observe/health?exposureLevel=full&data=true&stackTrace=true").body();
            for (String hidden : List.of(bundle.brokers(), "bootstrap.servers", "Exception", "error-message", "jdbc:")) {
                assertFalse(everything.contains(hidden), "health shows " + hidden + ": " + everything);
            }
            broker.start();
            RunningBundle.await("ready again with the broker back", Duration.ofSeconds(60), () -> status(bundle, ready) == 200);
        }
    }

    private static int status(RunningBundle bundle, String url) {
        try {
            return bundle.get(url).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static double metricOrMinus(RunningBundle bundle, String name) {
        try {
            return bundle.metric(name);
        } catch (Exception e) {
            return -1;
        }
    }
}
