package io.github.camelbundle.merge;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import io.github.camelbundle.kafka.PollPositions;
import org.apache.camel.Exchange;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the customer partitions of a batch once its records are stored, dead-lettered or parked
 * in the durable wait store, in one synchronous commit of exact per-partition offsets.
 * Written by hand because camel-kafka's batch commit commits one partition (the last record's), its
 * auto-commit commits the consumer position (CAMEL-23994), and its breakOnFirstError reconnects the
 * whole consumer (a group rejoin) where a seek back is enough.
 * Inventory partitions are deliberately never committed: the table is rebuilt from the start of
 * the inventory topic on every start, which is what keeps the join correct after a restart.
 * Runs on the consumer's own thread (the merge route is synchronous, and the delivery split goes on
 * on its caller's thread: {@code synchronous: true}), as the Kafka client requires; reaches the
 * consumer through {@link ConsumerAccessFactory}.
 */
public class OffsetCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetCommitter.class);

    private final String customerTopic;
    private final Duration timeout;
    private final Duration retryPause;

    /**
     * @param timeout    how long one commit or committed-offset request may take (merge.commit-timeout-ms)
     * @param retryPause pause between two tries of a rewind the broker did not answer (merge.retry-pause-ms)
     */
    public OffsetCommitter(String customerTopic, Duration timeout, Duration retryPause) {
        this.customerTopic = customerTopic;
        this.timeout = timeout;
        this.retryPause = retryPause;
    }

    public void commit(Exchange exchange, MergeBatch batch) {
        commit(ConsumerAccessFactory.consumerOf(exchange), batch);
    }

    /**
     * Commits the consumer's position after the poll where it reported one (past any transaction marker
     * or aborted records it stepped over: the next poll then starts exactly at the commit, and the lag of a
     * transactional topic reaches 0), else the last offset + 1.
     */
    void commit(Consumer<?, ?> consumer, MergeBatch batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        batch.lastOffsets().forEach((partition, last) -> {
            if (customerTopic.equals(partition.topic())) {
                PollPositions.Span span = batch.span(partition);
                long next = span != null && span.to() > last ? span.to() : last + 1;
                offsets.put(partition, new OffsetAndMetadata(next));
            }
        });
        if (offsets.isEmpty()) {
            return;
        }
        consumer.commitSync(offsets, timeout);
    }

    /**
     * Refuses a batch that does not start where the last commit of one of its customer partitions
     * ends: records read before a rewind took effect must not be delivered and committed past the
     * rewound ones, or a later resume of the consumer (camel-kafka seeks to the committed offsets,
     * CAMEL-18327) would skip those for good. (camel-kafka's batching mode did deliver such a poll:
     * it had polled the next batch before it handed over the failed one; 2,410 records were lost.)
     * Refused, it is rewound like a failed batch, and the records are read again in order. Asks the
     * group coordinator each time (no cached offsets that a rebalance could make stale); records
     * before the log start (retention) count as consumed.
     * Offsets are not consecutive (transaction markers, aborted records, compaction), so the batch's first
     * offset is not compared with the commit: the position the consumer reports it read the partition
     * from is (see {@link PollPositions}). Only a batch without that report falls back to its first offset.
     */
    public void requireContiguous(Exchange exchange, MergeBatch batch) throws StaleBatchException {
        requireContiguous(ConsumerAccessFactory.consumerOf(exchange), batch);
    }

    void requireContiguous(Consumer<?, ?> consumer, MergeBatch batch) throws StaleBatchException {
        Map<TopicPartition, Long> first = new HashMap<>();
        batch.firstOffsets().forEach((partition, offset) -> {
            if (customerTopic.equals(partition.topic())) {
                PollPositions.Span span = batch.span(partition);
                if (span == null) {
                    first.put(partition, offset);
                } else if (span.from() != PollPositions.FROM_COMMIT) {
                    first.put(partition, span.from());
                }
                // else: read from where the group's commit put the consumer, contiguous by definition
            }
        });
        if (first.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(first.keySet(), timeout);
        Map<TopicPartition, Long> logStart = null;
        for (Map.Entry<TopicPartition, Long> e : first.entrySet()) {
            OffsetAndMetadata last = committed.get(e.getKey());
            // nothing committed yet: the group starts at the log start (auto.offset.reset=earliest)
            long committedEnd = last == null ? 0 : last.offset();
            if (committedEnd >= e.getValue()) {
                continue;
            }
            if (logStart == null) {
                logStart = consumer.beginningOffsets(first.keySet(), timeout);
            }
            long expected = Math.max(committedEnd, logStart.getOrDefault(e.getKey(), 0L));
            if (expected < e.getValue()) {
                throw new StaleBatchException(e.getKey(), expected, e.getValue());
            }
        }
    }

    /**
     * After a failed batch: moves the consumer back to the last committed offset of each customer
     * partition of the batch, so the next poll reads the batch again (the store drops what was already
     * stored, and parking the same event again adds nothing to its group).
     * Tries until the broker answers: a rewind given up would leave the batch neither committed nor
     * read again (the consumer's position is past it) until a later poll of the same partition trips
     * the contiguity check, which on a quiet partition may be never. Only retriable errors are tried
     * again; a wakeup or interrupt (the route is stopping: the records are read again from the committed
     * offsets on the next start) and non-retriable errors end it.
     */
    public void rewind(Exchange exchange, MergeBatch batch) throws InterruptedException {
        if (batch == null) {
            return;
        }
        rewind(ConsumerAccessFactory.consumerOf(exchange), batch);
    }

    void rewind(Consumer<?, ?> consumer, MergeBatch batch) throws InterruptedException {
        Set<TopicPartition> partitions = new HashSet<>();
        for (TopicPartition tp : batch.lastOffsets().keySet()) {
            if (!consumer.assignment().contains(tp)) {
                continue;
            }
            if (customerTopic.equals(tp.topic())) {
                partitions.add(tp);
            } else {
                // inventory is never committed: read this poll's inventory again too, or a poll that failed
                // before the join loses it from the table until a restart (the table ignores what it has)
                consumer.seek(tp, batch.firstOffsets().get(tp));
            }
        }
        if (partitions.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                seekToCommitted(consumer, partitions);
                return;
            } catch (RetriableException e) {
                // e.g. the committed offsets could not be read within merge.commit-timeout-ms; anything else
                // (wakeup and interrupt on stop, authorization, a partition no longer assigned) goes up as before
                LOG.warn("Could not rewind {} to the committed offsets (try {}): {}; trying again in {} ms", partitions,
                        attempt, e.toString(), retryPause.toMillis());
                Thread.sleep(retryPause.toMillis());
            }
        }
    }

    private void seekToCommitted(Consumer<?, ?> consumer, Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions, timeout);
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata last = committed.get(tp);
            long from = last == null ? consumer.beginningOffsets(List.of(tp), timeout).get(tp) : last.offset();
            consumer.seek(tp, from);
        }
    }
}
