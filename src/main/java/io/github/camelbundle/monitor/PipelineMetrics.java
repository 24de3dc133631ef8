package io.github.camelbundle.monitor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The contract's pipeline metrics, in one place, on the registry Camel exposes at
 * {@code /observe/metrics}. Dots become underscores and counters get {@code _total} in Prometheus.
 */
public class PipelineMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Counter merged;
    private final Counter delivered;
    private final Counter staleIgnored;
    private final Counter handedOver;
    private final Counter joinWaits;
    private final Counter stored;
    private final Counter duplicates;
    private final Counter conflicts;
    private final Timer deliveryLatency;

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.merged = Counter.builder("integration.records.merged").description("customer events joined with inventory")
                .register(registry);
        this.delivered = Counter.builder("integration.records.delivered")
                .description("merged records acknowledged by the analytics API").register(registry);
        this.staleIgnored = Counter.builder("integration.inventory.stale.ignored")
                .description("inventory updates ignored because a newer version was held").register(registry);
        this.handedOver = Counter.builder("integration.records.handed.over")
                .description("waiting customer events re-published for the instance that now owns their partition")
                .register(registry);
        this.joinWaits = Counter.builder("integration.join.waits")
                .description("customer events that found no inventory for their product and had to wait").register(registry);
        this.stored = Counter.builder("analytics.records.stored").description("records newly stored by the API")
                .register(registry);
        this.duplicates = Counter.builder("analytics.records.duplicate")
                .description("records the API had already stored (idempotent re-delivery)").register(registry);
        this.conflicts = Counter.builder("analytics.records.conflict")
                .description("records refused: their eventId is stored with a different customer event").register(registry);
        this.deliveryLatency = Timer.builder("integration.delivery.latency")
                .description("customer event time to API acknowledgement")
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
        // every series of the contract exists from the start, at 0, so dashboards and alerts see it
        for (String reason : java.util.List.of("INVALID_JSON", "SCHEMA_VIOLATION", "OVERSIZED", "NO_INVENTORY",
                "REJECTED_BY_API", "DELIVERY_EXHAUSTED")) {
            counter("integration.records.dead.lettered", "reason", reason);
        }
    }

    /** Registers the per-type and per-topic series at 0 (the names depend on configuration). */
    public void declare(String customerTopic, String inventoryTopic) {
        counter("integration.records.generated", "type", "customer");
        counter("integration.records.generated", "type", "inventory");
        counter("integration.records.consumed", "topic", customerTopic);
        counter("integration.records.consumed", "topic", inventoryTopic);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void generated(String type, int count) {
        counter("integration.records.generated", "type", type).increment(count);
    }

    public void consumed(String topic, int count) {
        if (count > 0) {
            counter("integration.records.consumed", "topic", topic).increment(count);
        }
    }

    public void deadLettered(String reason, int count) {
        counter("integration.records.dead.lettered", "reason", reason).increment(count);
    }

    public void merged(int count) {
        merged.increment(count);
    }

    public void delivered(int count) {
        delivered.increment(count);
    }

    public void staleIgnored(int count) {
        staleIgnored.increment(count);
    }

    public void joinWaits(int count) {
        joinWaits.increment(count);
    }

    public void handedOver(int count) {
        handedOver.increment(count);
    }

    public void stored(int count, int duplicateCount) {
        stored.increment(count);
        duplicates.increment(duplicateCount);
    }

    public void conflicts(int count) {
        conflicts.increment(count);
    }

    public void deliveryRetry() {
        counter("integration.delivery.retries", "route", "deliver-to-analytics").increment();
    }

    /** One HTTP batch's outcome: delivered, split (refused whole, resent record by record), failed. */
    public void deliveryBatch(String outcome) {
        counter("integration.delivery.batches", "outcome", outcome).increment();
    }

    public void circuitStateGauge(Supplier<Number> state) {
        Gauge.builder("integration.circuit.state", state).description("delivery circuit: 0 closed, 1 open, 2 half-open")
                .register(registry);
    }

    /** Broker-side figures: records waiting in the DLQ, and customer events not yet committed by the merge. */
    public void kafkaGauges(Supplier<Number> dlqDepth, Supplier<Number> customerLag, String customerTopic) {
        Gauge.builder("integration.dlq.depth", dlqDepth).description("records in the dead-letter topic")
                .register(registry);
        Gauge.builder("integration.consumer.lag", customerLag).tag("topic", customerTopic)
                .description("records of the topic not yet committed by the merge group").register(registry);
    }

    public void latency(Duration latency) {
        deliveryLatency.record(latency.isNegative() ? Duration.ZERO : latency);
    }

    public Timer latencyTimer() {
        return deliveryLatency;
    }

    public double count(String name, String tagKey, String tagValue) {
        Counter c = registry.find(name).tag(tagKey, tagValue).counter();
        return c == null ? 0 : c.count();
    }

    public double deliveredCount() {
        return delivered.count();
    }

    public double deadLetteredCount() {
        return registry.find("integration.records.dead.lettered").counters().stream().mapToDouble(Counter::count).sum();
    }

    public void parkedGauge(Supplier<Number> parked) {
        Gauge.builder("integration.records.parked", parked).description("customer events waiting for inventory")
                .register(registry);
    }

    private Counter counter(String name, String tagKey, String tagValue) {
        return counters.computeIfAbsent(name + '|' + tagValue,
                k -> Counter.builder(name).tag(tagKey, tagValue).register(registry));
    }
}
