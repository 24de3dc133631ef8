package io.github.camelbundle.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The PromQL name extraction the Grafana dashboard check relies on: what it must find and what it must skip. */
class PromQlTest {

    @Test
    void findsTheSeriesInsideFunctionsAggregationsAndBinaryOperators() {
        assertEquals(Set.of("integration_delivery_latency_seconds_bucket"), PromQl.metricNames(
                "histogram_quantile(0.99, sum by (le) (rate(integration_delivery_latency_seconds_bucket[$__rate_interval])))"));
        assertEquals(Set.of("integration_records_dead_lettered_total"), PromQl.metricNames(
                "sum by (reason) (increase(integration_records_dead_lettered_total{reason=~\"NO_.*\", route!='x'}[5m] offset 1h))"));
        assertEquals(Set.of("jvm_gc_pause_seconds_sum", "jvm_gc_pause_seconds_count"), PromQl.metricNames(
                "rate(jvm_gc_pause_seconds_sum[1m]) / on (instance) group_left (gc) rate(jvm_gc_pause_seconds_count[1m]) > 1e3"));
        assertEquals(Set.of("jvm_memory_max_bytes"), PromQl.metricNames("sum without (id) (jvm_memory_max_bytes{area=\"heap\"} > bool 0)"));
        assertEquals(Set.of("a_total", "b"), PromQl.metricNames("a_total and b unless on(job) vector(1)"));
    }

    @Test
    void exposedSeriesAreTheSampleNamesSoAWrongNameOrAMissingSuffixIsCaught() {
        String exposition = """
                # HELP integration_delivery_latency_seconds customer event time to API acknowledgement
                # TYPE integration_delivery_latency_seconds histogram
                integration_delivery_latency_seconds_bucket{le="0.001"} 0
                integration_delivery_latency_seconds_count 3
                integration_delivery_latency_seconds_sum 0.3
                # TYPE integration_records_delivered counter
                integration_records_delivered_total 3.0
                """;
        Set<String> exposed = PromQl.exposedSeries(exposition);
        assertEquals(Set.of("integration_delivery_latency_seconds_bucket", "integration_delivery_latency_seconds_count",
                "integration_delivery_latency_seconds_sum", "integration_records_delivered_total"), exposed);
        // a dashboard that names the family or drops _total reads nothing in Prometheus: both must be reported
        List<String> wrong = List.of("rate(integration_records_delivered[1m])", "integration_delivery_latency_seconds",
                "rate(integration_records_delivred_total[1m])");
        for (String expr : wrong) {
            Set<String> names = PromQl.metricNames(expr);
            assertEquals(1, names.size(), expr);
            assertEquals(Set.of(), intersect(names, exposed), expr + " must be reported as not exported");
        }
    }

    private static Set<String> intersect(Set<String> a, Set<String> b) {
        return Set.copyOf(a.stream().filter(b::contains).toList());
    }
}
