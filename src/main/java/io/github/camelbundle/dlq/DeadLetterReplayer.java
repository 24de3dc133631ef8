package io.github.camelbundle.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.merge.DeadLetter;
import io.github.camelbundle.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.github.camelbundle.kafka.KafkaConnection;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code POST /admin/dlq/replay?reason=&limit=}: re-publishes dead letters to the topic they came from
 * with {@code dlq.replay.count} + 1, so they go through the merge again; one already replayed
 * {@code delivery.max-replays} times goes to the parked topic instead (the loop guard). Progress is
 * kept per reason in a consumer group of its own, so each dead letter is replayed once per call that
 * reaches it. For delivery failures the dead letter holds the merged record; its {@code customer}
 * object, which is the original customer event, is what is re-published.
 */
public class DeadLetterReplayer {

    private static final String REPLAY_COUNT = "dlq.replay.count";

    private final TopicRange dlq;
    private final KafkaConnection kafka;
    private final String parkedTopic;
    private final int maxReplays;

    public DeadLetterReplayer(KafkaConnection kafka, String dlqTopic, String parkedTopic, int maxReplays) {
        this.dlq = new TopicRange(kafka, dlqTopic);
        this.kafka = kafka;
        this.parkedTopic = parkedTopic;
        this.maxReplays = maxReplays;
    }

    public synchronized Map<String, Object> replay(String reason, int limit) throws Exception {
        String group = "integration-dlq-replay-" + (reason == null ? "ALL" : reason);
        int[] replayed = {0};
        int[] parked = {0};
        int[] examined = {0};
        try (KafkaConsumer<String, byte[]> consumer = dlq.consumer(group);
             KafkaProducer<String, byte[]> producer = producer()) {
            List<TopicPartition> partitions = dlq.assignAll(consumer);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions));
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = committed.get(tp);
                if (c == null) {
                    consumer.seekToBeginning(List.of(tp));
                } else {
                    consumer.seek(tp, c.offset());
                }
            }
            Map<TopicPartition, Long> position = dlq.scan(consumer, partitions, record -> {
                String recordReason = TopicRange.header(record, "dlq.reason");
                if (reason != null && !reason.equals(recordReason)) {
                    examined[0]++;
                    return true;
                }
                if (replayed[0] + parked[0] >= limit) {
                    return false;
                }
                examined[0]++;
                int count = parseCount(TopicRange.header(record, REPLAY_COUNT));
                if (count >= maxReplays) {
                    producer.send(copy(parkedTopic, record, record.value(), count));
                    parked[0]++;
                } else {
                    String source = TopicRange.header(record, "dlq.source.topic");
                    producer.send(copy(source, record, sourcePayload(recordReason, record.value()), count + 1));
                    replayed[0]++;
                }
                return true;
            });
            producer.flush();
            Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
            position.forEach((tp, offset) -> progress.put(tp, new OffsetAndMetadata(offset)));
            consumer.commitSync(progress);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("reason", reason);
        answer.put("replayed", replayed[0]);
        answer.put("parked", parked[0]);
        answer.put("examined", examined[0]);
        return answer;
    }

    /** A delivery failure holds the merged record; the source topic takes the customer event inside it. */
    static byte[] sourcePayload(String reason, byte[] value) {
        if (DeadLetter.REJECTED_BY_API.equals(reason) || DeadLetter.DELIVERY_EXHAUSTED.equals(reason)) {
            try {
                JsonNode customer = Json.MAPPER.readTree(value).path("customer");
                if (customer.isObject()) {
                    return Json.MAPPER.writeValueAsBytes(customer);
                }
            } catch (java.io.IOException e) {
                // not the merged record we wrote: replay it as it is, the merge will say what is wrong
                return value;
            }
        }
        return value;
    }

    private static ProducerRecord<String, byte[]> copy(String topic, ConsumerRecord<String, byte[]> record, byte[] value,
                                                       int replayCount) {
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(topic, record.key(), value);
        for (Header h : record.headers()) {
            if (!h.key().equals(REPLAY_COUNT)) {
                out.headers().add(h);
            }
        }
        out.headers().add(REPLAY_COUNT, Integer.toString(replayCount).getBytes(StandardCharsets.UTF_8));
        return out;
    }

    private static int parseCount(String text) {
        try {
            return text == null ? 0 : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties props = kafka.properties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
