package io.github.camelbundle.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The human table the bench prints before its BENCH line. */
final class BenchReport {

    private BenchReport() {
    }

    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> r) {
        Map<String, Object> produced = (Map<String, Object>) r.get("producedPerSec");
        Map<String, Object> latency = (Map<String, Object>) r.get("latencyMs");
        StringBuilder t = new StringBuilder("\n");
        row(t, "produced customer-data", produced.get("customer-data") + " rec/s");
        row(t, "produced inventory-data", produced.get("inventory-data") + " rec/s");
        row(t, "consumed (both topics)", r.get("consumedPerSec") + " rec/s");
        row(t, "delivered and stored", r.get("deliveredPerSec") + " rec/s");
        row(t, "latency p50 / p95 / p99", latency.get("p50") + " / " + latency.get("p95") + " / " + latency.get("p99")
                + " ms (max " + latency.get("max") + " ms)");
        List<Double> p99s = ((List<Map<String, Object>>) r.get("latencyMsPerSample")).stream()
                .map(sample -> ((Number) sample.get("p99")).doubleValue()).sorted().toList();
        if (!p99s.isEmpty()) {
            row(t, "p99 per sample (" + r.get("latencySampleSeconds") + " s)", p99s.get(0) + " / " + p99s.get(p99s.size() / 2)
                    + " / " + p99s.get(p99s.size() - 1) + " ms (best / median / worst of " + p99s.size() + ")");
        }
        row(t, "cpu (process)", r.get("cpuPercent") + "% of one core (" + r.get("cpuPercentOfMachine") + "% of "
                + r.get("cores") + " cores)");
        row(t, "heap used / live after GC", r.get("heapUsedMb") + " MB / " + r.get("liveHeapMbAfterGc") + " MB");
        row(t, "GC pauses in window", r.get("gcPauseMs") + " ms");
        row(t, "generated / stored", r.get("generated") + " / " + r.get("stored"));
        row(t, "dead-lettered / parked", r.get("deadLettered") + " / " + r.get("parked"));
        row(t, "lost", String.valueOf(r.get("lost")));
        return t.toString();
    }

    /** The late-inventory scenario's figures (issue 18); a phase that timed out shows "-". */
    static String lateInventoryTable(Map<String, Object> r) {
        StringBuilder t = new StringBuilder("\n");
        row(t, "waiting events / products", r.get("waiting") + " / " + r.get("products"));
        row(t, "events published", r.get("eventsPublishMs") + " ms from first send to last ack");
        row(t, "all parked", or(r.get("parkMs")) + " ms (" + or(r.get("parkedPerS")) + " events/s)");
        row(t, "inventory published", r.get("inventoryPublishMs") + " ms from first send to last ack");
        row(t, "first / all stored", or(r.get("firstStoredMs")) + " / " + or(r.get("releaseMs"))
                + " ms after the inventory's publication");
        row(t, "released", or(r.get("releasedPerS")) + " events/s");
        row(t, "stored / lost", r.get("stored") + " / " + r.get("lost"));
        row(t, "dead-lettered / parked", r.get("deadLettered") + " / " + r.get("parkedAfter"));
        row(t, "cpu (process)", r.get("cpuPercent") + "% of one core, " + r.get("cores") + " cores");
        return t.toString();
    }

    private static String or(Object value) {
        return value == null ? "-" : value.toString();
    }

    private static void row(StringBuilder t, String name, String value) {
        t.append(String.format(Locale.US, "  %-26s %s%n", name, value));
    }
}
