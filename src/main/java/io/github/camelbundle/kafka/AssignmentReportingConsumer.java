package io.github.camelbundle.kafka;

import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka consumer, publishing its partition assignment after every poll. A {@code KafkaConsumer}
 * may only be called from the thread that polls it, so other threads (the parking lot deciding
 * whether a waiting event still belongs here) read this snapshot instead. Polls run every
 * {@code merge.poll-timeout-ms} even while the route is suspended (camel-kafka pauses, it does not
 * unsubscribe), so the snapshot is at most one poll old; a rebalance happens inside {@code poll}.
 */
class AssignmentReportingConsumer<K, V> extends KafkaConsumer<K, V> {

    /** Null until the first poll returned: the assignment is not known yet. */
    private volatile Set<TopicPartition> assignment;

    AssignmentReportingConsumer(Properties properties) {
        super(properties);
    }

    @Override
    public ConsumerRecords<K, V> poll(Duration timeout) {
        try {
            return super.poll(timeout);
        } finally {
            assignment = Set.copyOf(super.assignment());
        }
    }

    Set<TopicPartition> lastAssignment() {
        return assignment;
    }
}
