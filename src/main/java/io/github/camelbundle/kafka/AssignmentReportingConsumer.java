package io.github.camelbundle.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka consumer, publishing what it owns and how far it has read. A {@code KafkaConsumer} may
 * only be called from the thread that polls it, so other threads (the parking lot deciding whether a
 * waiting event still belongs here and whether its inventory could have been seen) read these
 * snapshots instead. They are taken on the consumer's thread: partitions leave the snapshot the moment
 * a rebalance revokes them (before the new assignment is known), and everything is refreshed after
 * each poll, which runs every poll timeout even while the route is suspended (camel-kafka pauses, it
 * does not unsubscribe).
 */
class AssignmentReportingConsumer<K, V> extends KafkaConsumer<K, V> {

    /** Null until the first poll returned: the assignment is not known yet. */
    private volatile Set<TopicPartition> assignment;
    /** Per topic: every assigned partition of it read up to its end, as of the last poll. */
    private final Map<String, Boolean> caughtUp = new ConcurrentHashMap<>();

    AssignmentReportingConsumer(Properties properties) {
        super(properties);
    }

    @Override
    public ConsumerRecords<K, V> poll(Duration timeout) {
        try {
            return super.poll(timeout);
        } finally {
            Set<TopicPartition> now = Set.copyOf(super.assignment());
            Map<String, Boolean> read = new java.util.HashMap<>();
            for (TopicPartition tp : now) {
                OptionalLong lag = super.currentLag(tp);
                read.merge(tp.topic(), lag.isPresent() && lag.getAsLong() == 0, Boolean::logicalAnd);
            }
            caughtUp.keySet().retainAll(read.keySet());
            caughtUp.putAll(read);
            assignment = now;
        }
    }

    @Override
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        super.subscribe(topics, reporting(listener));
    }

    @Override
    public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        super.subscribe(pattern, reporting(listener));
    }

    Set<TopicPartition> lastAssignment() {
        return assignment;
    }

    /** Whether the assigned partitions of a topic were read to their end at the last poll; false if none. */
    boolean caughtUp(String topic) {
        return caughtUp.getOrDefault(topic, false);
    }

    private ConsumerRebalanceListener reporting(ConsumerRebalanceListener listener) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                forget(partitions);
                revoked(partitions);
                listener.onPartitionsRevoked(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                forget(partitions);
                revoked(partitions);
                listener.onPartitionsLost(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                listener.onPartitionsAssigned(partitions);
                assigned(partitions);
            }
        };
    }

    /** Called on the consumer's thread after a rebalance assigned these partitions. */
    protected void assigned(Collection<TopicPartition> partitions) {
    }

    /** Called on the consumer's thread when a rebalance revoked (or lost) these partitions. */
    protected void revoked(Collection<TopicPartition> partitions) {
    }

    private void forget(Collection<TopicPartition> partitions) {
        Set<TopicPartition> kept = new HashSet<>(assignment == null ? Set.of() : assignment);
        kept.removeAll(partitions);
        assignment = Set.copyOf(kept);
        partitions.forEach(tp -> caughtUp.put(tp.topic(), false));
    }
}
