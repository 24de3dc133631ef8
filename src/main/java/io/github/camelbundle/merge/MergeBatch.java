package io.github.camelbundle.merge;

import io.github.camelbundle.dlq.DeadLetter;
import io.github.camelbundle.kafka.PollPositions;
import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.MergedRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What one Kafka poll becomes as it moves through the merge and delivery flows: the parsed
 * records, the merged output, the dead letters, and the highest offset read per partition (what the
 * inventory table then holds; the kafka-poll consumer commits the poll itself).
 */
public final class MergeBatch {

    private final List<InventoryRecord> inventory = new ArrayList<>();
    private final List<PendingEvent> customerEvents = new ArrayList<>();
    private final List<MergedRecord> merged = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final Map<TopicPartition, Long> lastOffsets = new HashMap<>();
    private final Map<String, Integer> replayCounts = new HashMap<>();
    private final List<PendingEvent> waiting = new ArrayList<>();
    private final java.util.Set<String> arrivedProducts = new java.util.LinkedHashSet<>();
    private final java.util.Set<String> removedProducts = new java.util.LinkedHashSet<>();
    private final List<WaitingEvent> settled = new ArrayList<>();
    private final List<WaitingEvent> handOvers = new ArrayList<>();
    private Map<TopicPartition, PollPositions.Span> spans = Map.of();
    private int recordCount;

    /** Where the consumer read each partition of this poll from, and its position after it (null values allowed: unknown). */
    void spans(Map<TopicPartition, PollPositions.Span> spans) {
        this.spans = spans == null ? Map.of() : spans;
    }

    /** The consumer's span of a partition of this poll; null when the consumer did not report one. */
    public PollPositions.Span span(TopicPartition partition) {
        return spans.get(partition);
    }

    void read(String topic, int partition, long offset) {
        TopicPartition tp = new TopicPartition(topic, partition);
        lastOffsets.merge(tp, offset, Math::max);
        recordCount++;
    }

    /** Remembers that a merged event came back from the dead-letter topic, so a new failure keeps its count. */
    void replayed(String eventId, int replayCount) {
        if (replayCount > 0) {
            replayCounts.put(eventId, replayCount);
        }
    }

    public int replayCount(String eventId) {
        return replayCounts.getOrDefault(eventId, 0);
    }

    /** Valid customer events whose product has no inventory yet: they are checked into the wait store. */
    public List<PendingEvent> waiting() {
        return waiting;
    }

    /** Products whose inventory this batch carried (the table knows them): the events waiting for them are checked out. */
    public java.util.Set<String> arrivedProducts() {
        return arrivedProducts;
    }

    /**
     * Waiting events this batch settles (released into its delivery, expired, handed over): removed from
     * the wait store once delivered, dead-lettered or handed over.
     */
    public List<WaitingEvent> settled() {
        return settled;
    }

    /** A waiting event released: merged with its product's stock now, delivered with this batch, then settled. */
    void release(WaitingEvent e, InventoryRecord stock, java.time.Instant now) {
        merged.add(MergedRecord.of(e.parked().event(), stock, e.parked().source(), now));
        replayed(e.eventId(), e.parked().replayCount());
        settled.add(e);
    }

    /** Waiting events whose partition moved to another instance: re-published for it. */
    public List<WaitingEvent> handOvers() {
        return handOvers;
    }

    /** An inventory update read from the topic (after the product's tombstone in this poll, if any). */
    void updateProduct(InventoryRecord update) {
        inventory.add(update);
    }

    /** A tombstone read from the topic: the product leaves the table, and so do this poll's earlier updates of it. */
    void removeProduct(String productId) {
        inventory.removeIf(update -> update.productId().equals(productId));
        removedProducts.add(productId);
    }

    /**
     * Products with a tombstone in this batch: removed from the table before the batch's updates are
     * applied, so an update after the tombstone re-creates the product whatever version it had before.
     */
    public java.util.Set<String> removedProducts() {
        return removedProducts;
    }

    public List<InventoryRecord> inventory() {
        return inventory;
    }

    public List<PendingEvent> customerEvents() {
        return customerEvents;
    }

    public List<MergedRecord> merged() {
        return merged;
    }

    /** Added to by the merge (bad input) and by delivery (records the API rejected); thread-safe for the latter. */
    public List<DeadLetter> deadLetters() {
        return deadLetters;
    }

    public synchronized void addDeadLetter(DeadLetter deadLetter) {
        deadLetters.add(deadLetter);
    }

    public Map<TopicPartition, Long> lastOffsets() {
        return lastOffsets;
    }

    public int recordCount() {
        return recordCount;
    }

    public boolean hasDeadLetters() {
        return !deadLetters.isEmpty();
    }

    @Override
    public String toString() {
        return "MergeBatch[records=" + recordCount + ", inventory=" + inventory.size() + ", customerEvents="
                + customerEvents.size() + ", merged=" + merged.size() + ", waiting=" + waiting.size() + ", deadLetters="
                + deadLetters.size() + ", settled=" + settled.size() + "]";
    }
}
