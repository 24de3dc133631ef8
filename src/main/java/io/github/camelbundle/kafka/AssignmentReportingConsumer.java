package io.github.camelbundle.kafka;

import java.time.Duration;
import java.util.Collection;
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
 * snapshots instead. They are taken on the consumer's thread. From the moment a rebalance revokes
 * partitions until it assigns the new ones, and once the consumer is closed, the assignment is
 * unknown (an eager rebalance revokes everything, including what it hands straight back); otherwise it
 * is refreshed after each poll, which runs every poll timeout even while the route is suspended
 * (the consumer pauses, it does not unsubscribe).
 */
class AssignmentReportingConsumer<K, V> extends KafkaConsumer<K, V> implements PollPositions {

    /** Null while the assignment is not known: before the first assignment, during a rebalance, once closed. */
    private volatile Set<TopicPartition> assignment;
    /** Between a revocation and the next assignment (consumer thread only). */
    private boolean rebalancing = true;
    /** Per topic: every assigned partition of it read up to its end, as of the last poll. */
    private final Map<String, Boolean> caughtUp = new ConcurrentHashMap<>();
    private Map<TopicPartition, Span> lastPoll = Map.of();

    AssignmentReportingConsumer(Properties properties) {
        super(properties);
    }

    @Override
    public ConsumerRecords<K, V> poll(Duration timeout) {
        try {
            ConsumerRecords<K, V> records = super.poll(timeout);
            spans(records);
            return records;
        } finally {
            Set<TopicPartition> now = Set.copyOf(super.assignment());
            Map<String, Boolean> read = new java.util.HashMap<>();
            for (TopicPartition tp : now) {
                OptionalLong lag = super.currentLag(tp);
                read.merge(tp.topic(), lag.isPresent() && lag.getAsLong() == 0, Boolean::logicalAnd);
            }
            caughtUp.keySet().retainAll(read.keySet());
            caughtUp.putAll(read);
            if (!rebalancing) {
                assignment = now;
            }
        }
    }

    private void spans(ConsumerRecords<K, V> records) {
        Map<TopicPartition, Span> spans = new java.util.HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            var list = records.records(tp);
            long to;
            try {
                to = super.position(tp, Duration.ZERO);
            } catch (RuntimeException unknown) {
                // not expected right after records of it were returned; the last record bounds it
                to = list.get(list.size() - 1).offset() + 1;
            }
            spans.put(tp, new Span(to));
        }
        lastPoll = spans;
    }

    @Override
    public Map<TopicPartition, Span> lastPoll() {
        return lastPoll;
    }

    @Override
    public void close() {
        closing();
        super.close();
    }

    @Override
    public void close(Duration timeout) {
        closing();
        super.close(timeout);
    }

    private void closing() {
        assignment = null;
        caughtUp.clear();
    }

    @Override
    public void subscribe(Collection<String> topics) {
        // KafkaConsumer's one-argument subscribe does not go through the two-argument one
        subscribe(topics, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        });
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
                rebalancing = false;
                assignment = Set.copyOf(AssignmentReportingConsumer.super.assignment());
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
        rebalancing = true;
        assignment = null;
        partitions.forEach(tp -> caughtUp.put(tp.topic(), false));
    }
}
