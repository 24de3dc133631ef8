package io.github.camelbundle.dlq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.github.camelbundle.kafka.KafkaConnection;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Bounded reads of a topic for the admin endpoints: from a start position up to the
 * end offsets as they are when the read begins, so a call always terminates. Written with the Kafka
 * client directly because this is an on-demand scan of a range, not a stream a route consumes.
 */
final class TopicRange {

    private final KafkaConnection kafka;
    private final String topic;

    TopicRange(KafkaConnection kafka, String topic) {
        this.kafka = kafka;
        this.topic = topic;
    }

    KafkaConsumer<String, byte[]> consumer(String groupId) {
        Properties props = kafka.properties();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    List<TopicPartition> assignAll(KafkaConsumer<String, byte[]> consumer) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
        consumer.assign(partitions);
        return partitions;
    }

    /**
     * Reads from the consumer's current positions to the end offsets taken now, handing each record to
     * {@code visitor} until it returns false; returns the position after the last record visited, per partition.
     */
    Map<TopicPartition, Long> scan(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions,
                                   Predicate<ConsumerRecord<String, byte[]>> visitor) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> position = partitions.stream()
                .collect(Collectors.toMap(tp -> tp, consumer::position));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (partitions.stream().anyMatch(tp -> position.get(tp) < end.get(tp)) && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                if (record.offset() >= end.get(tp)) {
                    continue;
                }
                if (!visitor.test(record)) {
                    position.put(tp, record.offset());
                    return position;
                }
                position.put(tp, record.offset() + 1);
            }
        }
        return position;
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
