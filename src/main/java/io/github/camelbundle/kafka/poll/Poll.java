package io.github.camelbundle.kafka.poll;

import io.github.camelbundle.kafka.PollPositions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One Kafka poll, the body of a {@code kafka-poll} exchange: its records in the order read, and where the
 * consumer read each partition from and to ({@link PollPositions.Span}; empty when it did not report).
 */
public record Poll(List<ConsumerRecord<String, byte[]>> records, Map<TopicPartition, PollPositions.Span> spans) {

    public Poll {
        records = List.copyOf(records);
        spans = spans == null ? Map.of() : Map.copyOf(spans);
    }

    /** A poll of one record (isolating a record that fails its poll). */
    public static Poll of(ConsumerRecord<String, byte[]> record) {
        return new Poll(List.of(record), Map.of());
    }

    public int size() {
        return records.size();
    }

    /** The first offset read per partition. */
    public Map<TopicPartition, Long> firstOffsets() {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
        }
        return first;
    }

    /** The last offset read per partition. */
    public Map<TopicPartition, Long> lastOffsets() {
        Map<TopicPartition, Long> last = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            last.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::max);
        }
        return last;
    }

    @Override
    public String toString() {
        return "Poll[" + records.size() + " records from " + firstOffsets() + "]";
    }
}
