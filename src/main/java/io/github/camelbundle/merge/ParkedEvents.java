package io.github.camelbundle.merge;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Customer events whose product has no inventory yet, held until it arrives or until
 * {@code merge.max-wait} has passed. They stay in memory, so their Kafka offsets are not committed
 * while they wait ({@link #lowestOffset} tells the committer where each partition must stop) and a
 * crash re-reads them from Kafka. Expiry is two-phase so that an expiring event holds its offset back
 * until its dead letter is written. Shared by the merge consumer and the expiry timer: synchronized.
 */
public class ParkedEvents {

    private final Map<String, List<Parked>> byProduct = new HashMap<>();
    private final List<Parked> expiring = new ArrayList<>();
    private final Duration maxWait;
    private int count;

    private record Parked(PendingEvent event, Instant since) {
    }

    public ParkedEvents(Duration maxWait) {
        this.maxWait = maxWait;
    }

    public synchronized void park(PendingEvent event, Instant now) {
        byProduct.computeIfAbsent(event.event().productId(), id -> new ArrayList<>()).add(new Parked(event, now));
        count++;
    }

    /** Removes and returns the events waiting for this product (empty when none). */
    public synchronized List<PendingEvent> release(String productId) {
        List<Parked> released = byProduct.remove(productId);
        if (released == null) {
            return List.of();
        }
        count -= released.size();
        List<PendingEvent> events = new ArrayList<>(released.size());
        released.forEach(p -> events.add(p.event()));
        return events;
    }

    /**
     * Phase one of expiry: moves the events that waited longer than max-wait out of reach of
     * {@link #release} but keeps their offsets held back until {@link #expiryWritten} or {@link #expiryFailed}.
     */
    public synchronized List<PendingEvent> beginExpiry(Instant now) {
        List<PendingEvent> expired = new ArrayList<>();
        Instant deadline = now.minus(maxWait);
        for (Iterator<List<Parked>> lists = byProduct.values().iterator(); lists.hasNext(); ) {
            List<Parked> events = lists.next();
            for (Iterator<Parked> it = events.iterator(); it.hasNext(); ) {
                Parked p = it.next();
                if (!p.since().isAfter(deadline)) {
                    it.remove();
                    expiring.add(p);
                    expired.add(p.event());
                    count--;
                }
            }
            if (events.isEmpty()) {
                lists.remove();
            }
        }
        return expired;
    }

    /** Phase two: the dead letters are written, the offsets may be committed. */
    public synchronized void expiryWritten() {
        expiring.clear();
    }

    /** The dead-letter write failed: the events wait again and are retried at the next expiry. */
    public synchronized void expiryFailed() {
        for (Parked p : expiring) {
            byProduct.computeIfAbsent(p.event().event().productId(), id -> new ArrayList<>()).add(p);
            count++;
        }
        expiring.clear();
    }

    /** Drops the events of this partition from {@code fromOffset} on: the consumer is about to read them again. */
    public synchronized void forget(TopicPartition partition, long fromOffset) {
        for (Iterator<List<Parked>> lists = byProduct.values().iterator(); lists.hasNext(); ) {
            List<Parked> events = lists.next();
            int before = events.size();
            events.removeIf(p -> p.event().source().partition() == partition.partition()
                    && p.event().source().topic().equals(partition.topic()) && p.event().source().offset() >= fromOffset);
            count -= before - events.size();
            if (events.isEmpty()) {
                lists.remove();
            }
        }
    }

    /** The lowest offset still waiting (or expiring) on this partition, or {@code Long.MAX_VALUE}. */
    public synchronized long lowestOffset(TopicPartition partition) {
        long lowest = Long.MAX_VALUE;
        for (List<Parked> events : byProduct.values()) {
            lowest = Math.min(lowest, lowest(events, partition));
        }
        return Math.min(lowest, lowest(expiring, partition));
    }

    private static long lowest(List<Parked> events, TopicPartition partition) {
        long lowest = Long.MAX_VALUE;
        for (Parked p : events) {
            var source = p.event().source();
            if (source.partition() == partition.partition() && source.topic().equals(partition.topic())) {
                lowest = Math.min(lowest, source.offset());
            }
        }
        return lowest;
    }

    public synchronized int count() {
        return count;
    }
}
