package io.github.camelbundle.monitor;

import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The monitor's one-line status, in human units:
 * {@code delivered 1,085 (+535) | 32,100 rec/h (8.9/s) | p50 4 ms p99 12 ms | parked 0 | DLQ 0 | cpu 4% heap 120 MB}.
 * Rates are over the interval since the previous line.
 */
public class MonitorLine {

    private final PipelineMetrics metrics;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long lastDelivered;
    private long lastNanos = System.nanoTime();

    public MonitorLine(PipelineMetrics metrics) {
        this.metrics = metrics;
    }

    public synchronized String line() {
        long now = System.nanoTime();
        long delivered = (long) metrics.deliveredCount();
        long delta = delivered - lastDelivered;
        double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
        double perSecond = delta / seconds;
        lastDelivered = delivered;
        lastNanos = now;
        HistogramSnapshot latency = metrics.latencyTimer().takeSnapshot();
        double parked = metrics.registry().find("integration.records.parked").gauge() == null ? 0
                : metrics.registry().find("integration.records.parked").gauge().value();
        return String.format(Locale.US,
                "delivered %,d (+%,d) | %,.0f rec/h (%,.1f/s) | p50 %s p99 %s | parked %,.0f | DLQ %,.0f | cpu %.0f%% heap %,d MB",
                delivered, delta, perSecond * 3600, perSecond, percentile(latency, 0.5), percentile(latency, 0.99),
                parked, metrics.deadLetteredCount(), Math.max(0, os.getProcessCpuLoad() * 100),
                memory.getHeapMemoryUsage().getUsed() / (1024 * 1024));
    }

    private static String percentile(HistogramSnapshot snapshot, double p) {
        for (ValueAtPercentile v : snapshot.percentileValues()) {
            if (v.percentile() == p) {
                return String.format(Locale.US, "%,.0f ms", v.value(TimeUnit.MILLISECONDS));
            }
        }
        return "-";
    }
}
