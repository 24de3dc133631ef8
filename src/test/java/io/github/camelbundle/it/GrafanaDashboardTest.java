package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.deploy.PromQl;
import io.github.camelbundle.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grafana cannot run here, so the dashboard kept in observability/grafana is held to the bundle's real
 * /observe/metrics: every series any panel's PromQL reads must be exported after records have flowed.
 */
class GrafanaDashboardTest {

    private static final Path BASEDIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    static final Path DASHBOARD = BASEDIR.resolve("observability/grafana/dashboards/customer-inventory-bundle.json");

    @TempDir
    Path data;

    @Test
    void everyPanelReadsOnlySeriesTheRunningBundleExports() throws Exception {
        Map<String, Set<String>> namesByPanel = namesByPanel(Json.MAPPER.readTree(DASHBOARD.toFile()));
        Map<String, String> run = Map.of("generator.customers.limit", "2000", "generator.customers.rate-per-second", "0",
                "generator.inventory.limit", "500", "generator.inventory.rate-per-second", "0", "generator.products", "400");
        String exposition;
        try (RunningBundle bundle = RunningBundle.start(data, run)) {
            DataSource store = bundle.context().getRegistry().lookupByNameAndType("analyticsStore", AnalyticsStore.class).dataSource();
            RunningBundle.await("2000 stored", Duration.ofSeconds(90),
                    () -> StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records") == 2000);
            // Micrometer registers the GC timer at the first collection; a long-running bundle always has had one
            System.gc();
            RunningBundle.await("a GC recorded", Duration.ofSeconds(10), () -> scrape(bundle).contains("\njvm_gc_pause_seconds_count"));
            exposition = scrape(bundle);
        }
        Files.createDirectories(BASEDIR.resolve("target"));
        Files.writeString(BASEDIR.resolve("target/grafana-dashboard-metrics.txt"), exposition);

        Set<String> exposed = PromQl.exposedSeries(exposition);
        List<String> missing = new ArrayList<>();
        namesByPanel.forEach((panel, names) -> names.stream().filter(n -> !exposed.contains(n))
                .forEach(n -> missing.add(panel + ": " + n)));
        assertEquals(List.of(), missing, "series the dashboard reads but the bundle does not export"
                + " (full exposition in target/grafana-dashboard-metrics.txt)");
    }

    @Test
    void dashboardShowsTheBuiltInPagesFiguresFromTheProvisionedDataSource() throws Exception {
        JsonNode dashboard = Json.MAPPER.readTree(DASHBOARD.toFile());
        Map<String, Set<String>> namesByPanel = namesByPanel(dashboard);
        Set<String> all = namesByPanel.values().stream().flatMap(Set::stream).collect(java.util.stream.Collectors.toSet());
        // rate in/out, latency percentiles, DLQ by reason, parked, lag, circuit, heap, GC
        for (String figure : List.of("integration_records_consumed_total", "integration_records_delivered_total",
                "integration_delivery_latency_seconds_bucket", "integration_records_dead_lettered_total",
                "integration_records_parked", "integration_consumer_lag", "integration_circuit_state",
                "jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum")) {
            assertTrue(all.contains(figure), "the dashboard shows " + figure);
        }
        JsonNode provisioned = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
                .readTree(BASEDIR.resolve("observability/grafana/provisioning/datasources/prometheus.yml").toFile());
        assertEquals("prometheus", provisioned.at("/datasources/0/type").asText());
        assertEquals("http://prometheus:9090", provisioned.at("/datasources/0/url").asText(), "the compose service");
        String uid = provisioned.at("/datasources/0/uid").asText();
        for (JsonNode panel : dashboard.path("panels")) {
            assertEquals(uid, panel.at("/datasource/uid").asText(), panel.path("title") + " reads the provisioned data source");
        }
    }

    /** Panel title to the series its queries read; every panel must have at least one. */
    static Map<String, Set<String>> namesByPanel(JsonNode dashboard) {
        Map<String, Set<String>> byPanel = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            Set<String> names = new java.util.TreeSet<>();
            panel.path("targets").forEach(t -> names.addAll(PromQl.metricNames(t.path("expr").asText())));
            assertFalse(names.isEmpty(), "panel '" + panel.path("title").asText() + "' reads no metric");
            byPanel.put(panel.path("title").asText(), names);
        }
        assertTrue(byPanel.size() >= 10, "the dashboard has its panels: " + byPanel.keySet());
        return byPanel;
    }

    private static String scrape(RunningBundle bundle) {
        try {
            return bundle.get(bundle.managementUrl() + "/observe/metrics").body();
        } catch (Exception e) {
            return "";
        }
    }
}
