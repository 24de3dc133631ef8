package io.github.camelbundle.kafka.poll;

import io.github.camelbundle.kafka.PollPositions;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a poll once the route is done with it, or moves the consumer back so that the next poll reads
 * it again. Written by hand because camel-kafka's batch commit commits one partition (the last record's),
 * its auto-commit commits the consumer position (CAMEL-23994), and its breakOnFirstError reconnects the
 * whole consumer (a group rejoin) where a seek back is enough.
 * The table topic is never committed: a table is read from its start on every assignment.
 */
final class PollOffsets {

    private static final Logger LOG = LoggerFactory.getLogger(PollOffsets.class);

    private final String tableTopic;
    private final Duration timeout;
    private final Duration retryPause;

    /**
     * @param timeout    how long one commit or committed-offset request may take
     * @param retryPause pause between two tries of a rewind the broker did not answer
     */
    PollOffsets(String tableTopic, Duration timeout, Duration retryPause) {
        this.tableTopic = tableTopic;
        this.timeout = timeout;
        this.retryPause = retryPause;
    }

    /**
     * Commits, per partition still assigned, the consumer's position after the poll where it reported one
     * (past any transaction marker or aborted records it stepped over: the lag of a transactional topic
     * reaches 0), else the last offset + 1. A partition a rebalance moved away meanwhile is left to its new
     * owner, which reads it again from the last commit.
     */
    void commit(Consumer<?, ?> consumer, Poll poll) {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        poll.lastOffsets().forEach((partition, last) -> {
            if (!partition.topic().equals(tableTopic) && assigned.contains(partition)) {
                PollPositions.Span span = poll.spans().get(partition);
                long next = span != null && span.to() > last ? span.to() : last + 1;
                offsets.put(partition, new OffsetAndMetadata(next));
            }
        });
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets, timeout);
        }
    }

    /** Moves the consumer back to the first record of each partition of a poll that was never handed over. */
    void seekBack(Consumer<?, ?> consumer, Poll poll) {
        poll.firstOffsets().forEach((tp, first) -> {
            if (consumer.assignment().contains(tp)) {
                consumer.seek(tp, first);
            }
        });
    }

    /**
     * Moves the consumer back to the last commit of each partition of the poll (the table topic: to the
     * poll's first offset, or a poll that failed before the join would lose its rows until a restart).
     * Tries until the broker answers, while {@code running}: a rewind given up would leave the poll
     * neither committed nor read again. Only retriable errors are tried again.
     */
    void rewind(Consumer<?, ?> consumer, Poll poll, BooleanSupplier running) throws InterruptedException {
        Set<TopicPartition> partitions = new HashSet<>();
        poll.firstOffsets().forEach((tp, first) -> {
            if (!consumer.assignment().contains(tp)) {
                return;
            }
            if (tp.topic().equals(tableTopic)) {
                consumer.seek(tp, first);
            } else {
                partitions.add(tp);
            }
        });
        for (int attempt = 1; !partitions.isEmpty() && running.getAsBoolean(); attempt++) {
            try {
                seekToCommitted(consumer, partitions);
                return;
            } catch (RetriableException e) {
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
