package io.github.camelbundle.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.dlq.DeadLetter;
import io.github.camelbundle.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.github.camelbundle.kafka.KafkaConnection;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code POST /admin/dlq/replay?reason=&limit=}: re-publishes dead letters to the input topic they came
 * from with {@code dlq.replay.count} + 1 (signed, see {@link SteeringHeaders}), so they go through the
 * merge again; one already replayed {@code delivery.max-replays} times goes to the parked topic instead
 * (the loop guard). For delivery failures the dead letter holds the merged record; its {@code customer}
 * object, the original customer event, is what is re-published.
 *
 * <p>Progress is one cursor per reason (a consumer group each, never joined: offsets only), also when
 * no reason is given (then every reason's cursor moves), so a dead letter is replayed once whichever
 * reasons are asked for in turn. A cursor moves only past letters whose send the broker acknowledged:
 * it stops at the first failed send of each partition. Letters that cannot be replayed (no or unknown
 * {@code dlq.reason}, a {@code dlq.source.topic} that is not an input topic, a payload cut for size)
 * are skipped with the reason, counted, and passed, never retried forever.
 */
public class DeadLetterReplayer {

    private static final String REPLAY_COUNT = "dlq.replay.count";
    /** Letters without a known dlq.reason: their own cursor, replayed never (skipped) but passed. */
    static final String OTHER = "OTHER";
    static final Set<String> REASONS = Set.of(DeadLetter.INVALID_JSON, DeadLetter.SCHEMA_VIOLATION,
            DeadLetter.OVERSIZED, DeadLetter.NO_INVENTORY, DeadLetter.REJECTED_BY_API, DeadLetter.DELIVERY_EXHAUSTED);
    private static final String GROUP_PREFIX = "integration-dlq-replay-";
    /** The cursor of reason-less calls before 0.1.x kept cursors per reason only: read once, folded in. */
    private static final String LEGACY_ALL = "ALL";

    private final TopicRange dlq;
    private final KafkaConnection kafka;
    private final String parkedTopic;
    private final int maxReplays;
    private final Set<String> inputTopics;
    private final SteeringHeaders signer;

    public DeadLetterReplayer(KafkaConnection kafka, String dlqTopic, String parkedTopic, int maxReplays,
                              Set<String> inputTopics, SteeringHeaders signer) {
        this.dlq = new TopicRange(kafka, dlqTopic);
        this.kafka = kafka;
        this.parkedTopic = parkedTopic;
        this.maxReplays = maxReplays;
        this.inputTopics = Set.copyOf(inputTopics);
        this.signer = signer;
    }

    /** One letter acted on: its send (null when skipped) and what it counts as once the send is done. */
    private record Sent(TopicPartition partition, long offset, Future<RecordMetadata> send, boolean parked) {
    }

    public synchronized Map<String, Object> replay(String reason, int limit) throws Exception {
        List<String> wanted = reason == null ? cursorNames() : List.of(reason);
        Map<String, Integer> skippedBy = new TreeMap<>();
        List<Sent> sent = new ArrayList<>();
        int[] examined = {0};
        try (Admin admin = Admin.create(kafka.properties());
             KafkaConsumer<String, byte[]> consumer = dlq.consumer(null);
             KafkaProducer<String, byte[]> producer = producer()) {
            List<TopicPartition> partitions = dlq.assignAll(consumer);
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
            Map<String, Map<TopicPartition, Long>> cursors = cursors(admin, wanted, partitions, beginning);
            for (TopicPartition tp : partitions) {
                consumer.seek(tp, wanted.stream().mapToLong(c -> cursors.get(c).get(tp)).min().orElseThrow());
            }
            int[] handled = {0};
            Map<TopicPartition, Long> position = dlq.scan(consumer, partitions, record -> {
                String recordReason = TopicRange.header(record, "dlq.reason");
                // Set.of(...).contains(null) throws: a letter without dlq.reason is OTHER
                String cursor = recordReason != null && REASONS.contains(recordReason) ? recordReason : OTHER;
                TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                if (!wanted.contains(cursor) || record.offset() < cursors.get(cursor).get(tp)) {
                    return true;
                }
                if (handled[0] >= limit) {
                    return false;
                }
                handled[0]++;
                examined[0]++;
                String why = unreplayable(cursor, record);
                if (why != null) {
                    skippedBy.merge(why, 1, Integer::sum);
                    return true;
                }
                int count = Math.max(0, parseCount(TopicRange.header(record, REPLAY_COUNT)));
                boolean park = count >= maxReplays;
                ProducerRecord<String, byte[]> out = park
                        ? copy(parkedTopic, record, record.value(), count)
                        : copy(TopicRange.header(record, "dlq.source.topic"), record,
                        sourcePayload(recordReason, record.value()), count + 1);
                sent.add(new Sent(tp, record.offset(), send(producer, out), park));
                return true;
            });
            producer.flush();
            // a cursor never passes a letter whose send failed: it stops at the first failure of its partition
            Map<TopicPartition, Long> firstFailure = new HashMap<>();
            int replayed = 0;
            int parked = 0;
            int failed = 0;
            String failure = null;
            for (Sent s : sent) {
                try {
                    s.send().get();
                    if (s.parked()) {
                        parked++;
                    } else {
                        replayed++;
                    }
                } catch (ExecutionException e) {
                    failed++;
                    failure = failure == null ? String.valueOf(e.getCause()) : failure;
                    firstFailure.merge(s.partition(), s.offset(), Math::min);
                }
            }
            for (String c : wanted) {
                Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
                for (TopicPartition tp : partitions) {
                    long to = Math.min(position.get(tp), firstFailure.getOrDefault(tp, Long.MAX_VALUE));
                    progress.put(tp, new OffsetAndMetadata(Math.max(to, cursors.get(c).get(tp))));
                }
                admin.alterConsumerGroupOffsets(GROUP_PREFIX + c, progress).all().get();
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("reason", reason);
            answer.put("replayed", replayed);
            answer.put("parked", parked);
            answer.put("skipped", skippedBy.values().stream().mapToInt(Integer::intValue).sum());
            answer.put("skippedBy", skippedBy);
            answer.put("failed", failed);
            answer.put("examined", examined[0]);
            if (failed > 0) {
                answer.put("failure", failure);
            }
            return answer;
        }
    }

    /** A send that fails at once (no metadata in time, a bad record) counts as failed, like one the broker refuses. */
    private static Future<RecordMetadata> send(KafkaProducer<String, byte[]> producer, ProducerRecord<String, byte[]> out) {
        try {
            return producer.send(out);
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    private static List<String> cursorNames() {
        List<String> names = new ArrayList<>(REASONS);
        names.add(OTHER);
        return names;
    }

    /** Each wanted reason's cursor per partition: its group's offset, or the legacy ALL one, or the beginning. */
    private static Map<String, Map<TopicPartition, Long>> cursors(Admin admin, List<String> wanted,
                                                                  List<TopicPartition> partitions,
                                                                  Map<TopicPartition, Long> beginning) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> legacy = committed(admin, LEGACY_ALL);
        Map<String, Map<TopicPartition, Long>> cursors = new HashMap<>();
        for (String c : wanted) {
            Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, c);
            Map<TopicPartition, Long> cursor = new HashMap<>();
            for (TopicPartition tp : partitions) {
                long at = beginning.get(tp);
                for (OffsetAndMetadata o : new OffsetAndMetadata[] {committed.get(tp), legacy.get(tp)}) {
                    if (o != null) {
                        at = Math.max(at, o.offset());
                    }
                }
                cursor.put(tp, at);
            }
            cursors.put(c, cursor);
        }
        return cursors;
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String cursor) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP_PREFIX + cursor)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetAndMetadata> present = new HashMap<>();
        // a partition without a committed offset comes back as null
        offsets.forEach((tp, o) -> {
            if (o != null) {
                present.put(tp, o);
            }
        });
        return present;
    }

    /** Why this letter cannot be replayed, or null. */
    private String unreplayable(String cursor, ConsumerRecord<String, byte[]> record) {
        if (OTHER.equals(cursor)) {
            String r = TopicRange.header(record, "dlq.reason");
            return r == null ? "dlq.reason missing" : "dlq.reason unknown: " + abbreviate(r);
        }
        // the DLQ writer cut a record too large for it: the original is not here, so it cannot be replayed
        if (TopicRange.header(record, "dlq.original.size") != null || TopicRange.header(record, "dlq.original.sha256") != null) {
            return "payload cut to fit the DLQ (dlq.original.size): the original is not in the DLQ";
        }
        String source = TopicRange.header(record, "dlq.source.topic");
        if (source == null) {
            return "dlq.source.topic missing";
        }
        if (!inputTopics.contains(source)) {
            return "dlq.source.topic is not an input topic: " + abbreviate(source);
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
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

    private ProducerRecord<String, byte[]> copy(String topic, ConsumerRecord<String, byte[]> record, byte[] value,
                                                int replayCount) {
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(topic, record.key(), value);
        for (Header h : record.headers()) {
            if (!h.key().equals(REPLAY_COUNT) && !SteeringHeaders.HEADERS.contains(h.key())) {
                out.headers().add(h);
            }
        }
        out.headers().add(REPLAY_COUNT, Integer.toString(replayCount).getBytes(StandardCharsets.UTF_8));
        // the merge honours the count only with the bundle's signature over it, the key and the value
        signer.sign(out.headers(), record.key(), value, replayCount, 0);
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
