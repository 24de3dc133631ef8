package io.github.camelbundle.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer of a stream topic joined with a table topic (the merge reads customer events and
 * inventory): when a rebalance hands it partitions, it reads the new table partitions up to the end
 * they had at that moment before it reads anything else of the new partitions, as Kafka Streams
 * restores a table before processing. Without it, a start or a moved partition meets a flood of stream
 * records whose table rows are simply not read yet, and each of them has to wait durably.
 * Pauses its caller asks for (camel-kafka suspends the route by pausing) are kept apart from its own,
 * so neither undoes the other.
 */
class TableFirstConsumer<K, V> extends AssignmentReportingConsumer<K, V> {

    private static final Logger LOG = LoggerFactory.getLogger(TableFirstConsumer.class);

    private final String tableTopic;
    /** Table partitions being restored, and the end offset each must reach. */
    private final Map<TopicPartition, Long> restoring = new HashMap<>();
    /** Stream partitions held back until the restore is done. */
    private final Set<TopicPartition> heldBack = new HashSet<>();
    /** Partitions the caller paused (they stay paused whatever the restore does). */
    private final Set<TopicPartition> pausedByCaller = new HashSet<>();
    private long restoreStarted;

    TableFirstConsumer(Properties properties, String tableTopic) {
        super(properties);
        this.tableTopic = tableTopic;
    }

    @Override
    protected void assigned(Collection<TopicPartition> partitions) {
        List<TopicPartition> table = partitions.stream().filter(tp -> tableTopic.equals(tp.topic())).toList();
        if (table.isEmpty()) {
            return;
        }
        try {
            super.endOffsets(table).forEach((tp, end) -> {
                if (end > 0) {
                    restoring.put(tp, end);
                }
            });
        } catch (RuntimeException e) {
            // nothing may be thrown out of a rebalance (poll would fail and camel-kafka skip a record):
            // without the end offsets, read both at once; events that miss their inventory wait for it
            LOG.warn("Could not read the end offsets of {}, not holding the other topics back: {}", table, e.toString());
            return;
        }
        if (restoring.isEmpty()) {
            return;
        }
        List<TopicPartition> stream = partitions.stream().filter(tp -> !tableTopic.equals(tp.topic())).toList();
        heldBack.addAll(stream);
        super.pause(stream);
        restoreStarted = System.nanoTime();
        LOG.info("Reading {} up to {} before {}", tableTopic, restoring, stream);
    }

    @Override
    protected void revoked(Collection<TopicPartition> partitions) {
        restoring.keySet().removeAll(partitions);
        heldBack.removeAll(partitions);
        pausedByCaller.removeAll(partitions);
        releaseWhenRestored();
    }

    @Override
    public ConsumerRecords<K, V> poll(Duration timeout) {
        ConsumerRecords<K, V> records = super.poll(timeout);
        if (!restoring.isEmpty()) {
            restoring.entrySet().removeIf(e -> restored(e.getKey(), e.getValue()));
            releaseWhenRestored();
        }
        return records;
    }

    /** Whether a table partition has been read up to {@code end}; not yet when its position is unknown. */
    private boolean restored(TopicPartition tp, long end) {
        try {
            return super.position(tp, Duration.ZERO) >= end;
        } catch (RuntimeException notKnownYet) {
            // never thrown out of poll: the records it returned would be skipped
            return false;
        }
    }

    @Override
    public void pause(Collection<TopicPartition> partitions) {
        pausedByCaller.addAll(partitions);
        super.pause(partitions);
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
        pausedByCaller.removeAll(partitions);
        List<TopicPartition> resumable = new ArrayList<>(partitions);
        resumable.removeAll(heldBack);
        super.resume(resumable);
    }

    private void releaseWhenRestored() {
        if (!restoring.isEmpty() || heldBack.isEmpty()) {
            return;
        }
        List<TopicPartition> resumable = new ArrayList<>(heldBack);
        heldBack.clear();
        resumable.removeAll(pausedByCaller);
        super.resume(resumable);
        LOG.info("{} read to its end in {} ms: reading {}", tableTopic, (System.nanoTime() - restoreStarted) / 1_000_000,
                resumable);
    }
}
