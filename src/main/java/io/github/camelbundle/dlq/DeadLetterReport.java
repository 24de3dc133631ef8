package io.github.camelbundle.dlq;

import io.github.camelbundle.kafka.KafkaConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/** {@code GET /admin/dlq}: depth, counts by reason, oldest age and the most recent entries of the DLQ. */
public class DeadLetterReport {

    private static final int RECENT = 5;

    private final TopicRange dlq;

    public DeadLetterReport(KafkaConnection kafka, String dlqTopic) {
        this.dlq = new TopicRange(kafka, dlqTopic);
    }

    public Map<String, Object> report() {
        Map<String, Long> byReason = new TreeMap<>();
        Deque<Map<String, Object>> recent = new ArrayDeque<>();
        long[] oldest = {Long.MAX_VALUE};
        long depth = 0;
        try (KafkaConsumer<String, byte[]> consumer = dlq.consumer(null)) {
            List<TopicPartition> partitions = dlq.assignAll(consumer);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition tp : partitions) {
                depth += end.get(tp) - begin.get(tp);
            }
            dlq.scan(consumer, partitions, record -> {
                byReason.merge(String.valueOf(TopicRange.header(record, "dlq.reason")), 1L, Long::sum);
                oldest[0] = Math.min(oldest[0], record.timestamp());
                recent.addLast(entry(record));
                if (recent.size() > RECENT) {
                    recent.removeFirst();
                }
                return true;
            });
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("depth", depth);
        out.put("byReason", byReason);
        out.put("oldestAgeSeconds", oldest[0] == Long.MAX_VALUE ? null
                : Duration.between(Instant.ofEpochMilli(oldest[0]), Instant.now()).toSeconds());
        out.put("recent", new ArrayList<>(recent));
        return out;
    }

    private static Map<String, Object> entry(ConsumerRecord<String, byte[]> record) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("partition", record.partition());
        e.put("offset", record.offset());
        e.put("key", record.key());
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        e.put("headers", headers);
        String value = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
        e.put("payloadPreview", value.length() > 300 ? value.substring(0, 300) + "..." : value);
        return e;
    }
}
