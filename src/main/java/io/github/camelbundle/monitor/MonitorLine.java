package io.github.camelbundle.monitor;

import io.github.camelbundle.delivery.DeliveryControl;
import io.github.camelbundle.kafka.KafkaObserver;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The monitor's one-line status, in human units:
 * {@code delivered 1,085 (+535) | 32,100 rec/h (8.9/s) | p50 4 ms p99 12 ms | parked 0 | DLQ 0 | lag 3 | circuit closed | cpu 4% heap 120 MB}.
 * Rates are over the interval since the previous line; on a bounded run ({@code generator.customers.limit})
 * the line ends with the progress towards the limit and an ETA.
 */
public class MonitorLine {

    private final PipelineMetrics metrics;
    private final DeliveryControl delivery;
    private final KafkaObserver kafka;
    private final long customerLimit;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long lastDelivered;
    private long lastNanos = System.nanoTime();

    /** {@code delivery} and {@code kafka} are null in a process that does not run the pipeline role. */
    public MonitorLine(PipelineMetrics metrics, DeliveryControl delivery, KafkaObserver kafka, long customerLimit) {
        this.metrics = metrics;
        this.delivery = delivery;
        this.kafka = kafka;
        this.customerLimit = customerLimit;
    }

    public synchronized String line() {
        long now = System.nanoTime();
        long delivered = (long) metrics.deliveredCount();
        long delta = delivered - lastDelivered;
        double perSecond = delta / Math.max(1e-3, (now - lastNanos) / 1e9);
        lastDelivered = delivered;
        lastNanos = now;
        HistogramSnapshot latency = metrics.latencyTimer().takeSnapshot();
        var parkedGauge = metrics.registry().find("integration.records.parked").gauge();
        StringBuilder line = new StringBuilder(String.format(Locale.US,
                "delivered %,d (+%,d) | %,.0f rec/h (%,.1f/s) | p50 %s p99 %s | parked %,.0f | DLQ %s | lag %s | circuit %s"
                        + " | cpu %.0f%% heap %,d MB",
                delivered, delta, perSecond * 3600, perSecond, percentile(latency, 0.5), percentile(latency, 0.99),
                parkedGauge == null ? 0 : parkedGauge.value(), count(kafka == null ? -1 : kafka.dlqDepth()),
                count(kafka == null ? -1 : kafka.customerLag()),
                circuit(delivery), Math.max(0, os.getProcessCpuLoad() * 100),
                memory.getHeapMemoryUsage().getUsed() / (1024 * 1024)));
        if (customerLimit > 0) {
            double done = Math.min(1.0, (delivered + metrics.deadLetteredCount()) / (double) customerLimit);
            line.append(String.format(Locale.US, " | %.1f%% of %,d", done * 100, customerLimit));
            long left = customerLimit - delivered - (long) metrics.deadLetteredCount();
            if (left > 0 && perSecond > 0) {
                line.append(" ETA ").append(human(Duration.ofSeconds((long) Math.ceil(left / perSecond))));
            }
        }
        return line.toString();
    }

    private static String circuit(DeliveryControl delivery) {
        if (delivery == null) {
            return "-";
        }
        String stopped = delivery.stopSummary();
        if (stopped != null) {
            return "stopped (" + stopped + ")";
        }
        return switch (delivery.circuitState()) {
            case 1 -> "open";
            case 2 -> "half-open";
            default -> "closed";
        };
    }

    private static String count(long value) {
        return value < 0 ? "?" : String.format(Locale.US, "%,d", value);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.US, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : s >= 60 ? String.format(Locale.US, "%dm%02ds", s / 60, s % 60) : s + "s";
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
