package io.github.camelbundle.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.kafka.KafkaConnection;
import io.github.camelbundle.kafka.KafkaObserver;
import io.github.camelbundle.model.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code GET /admin/reconciliation}: accounts for every customer event of a (bounded) run. Reads the
 * customer topic, the dead-letter topic and the store, and reports what was generated, stored,
 * dead-lettered (by reason), parked and still in flight, duplicates in the store, and {@code lost}:
 * customer records that are in none of those places. Valid events are matched by eventId; records
 * that never parsed (poison) by their partition and offset, which their dead letter names. Reads
 * whole topics: a tool for bounded runs and for after an incident, not for a hot path.
 */
public class Reconciliation {

    private static final int SAMPLE = 10;

    private final TopicRange customers;
    private final TopicRange inventory;
    private final TopicRange dlq;
    private final String customerTopic;
    private final StoredIds store;
    private final java.util.function.Supplier<Set<String>> parked;
    private final KafkaObserver kafka;

    public Reconciliation(KafkaConnection connection, String customerTopic, String inventoryTopic, String dlqTopic,
                          StoredIds store, java.util.function.Supplier<Set<String>> parked, KafkaObserver kafka) {
        this.customers = new TopicRange(connection, customerTopic);
        this.inventory = new TopicRange(connection, inventoryTopic);
        this.dlq = new TopicRange(connection, dlqTopic);
        this.customerTopic = customerTopic;
        this.store = store;
        this.parked = parked;
        this.kafka = kafka;
    }

    public synchronized Map<String, Object> reconcile() throws Exception {
        // the parking lot before and after the rest: an event that leaves it while this runs goes to the
        // store or the dead-letter topic (read after the first look), one that enters it is in the
        // second look; with one look only, such an event was briefly reported lost
        Set<String> parked = new HashSet<>(this.parked.get());
        // what was generated: every record of the customer topic
        Set<String> eventIds = new HashSet<>();
        Set<String> poison = new HashSet<>();
        long[] customerRecords = {0};
        long[] handedOver = {0};
        readAll(customers, record -> {
            customerRecords[0]++;
            if (TopicRange.header(record, "merge.wait.extensions") != null) {
                // a waiting event re-published for the instance that took over its partition: same event id
                handedOver[0]++;
            }
            String id = eventId(record.value());
            if (id != null) {
                eventIds.add(id);
            } else {
                poison.add(record.partition() + "@" + record.offset());
            }
        });
        long[] inventoryRecords = {0};
        readAll(inventory, record -> inventoryRecords[0]++);

        // where they are: the dead-letter topic, the store, the parking lot
        Map<String, Long> byReason = new TreeMap<>();
        Set<String> deadLettered = new HashSet<>();
        Set<String> deadLetteredPoison = new HashSet<>();
        readAll(dlq, record -> {
            byReason.merge(String.valueOf(TopicRange.header(record, "dlq.reason")), 1L, Long::sum);
            if (!customerTopic.equals(TopicRange.header(record, "dlq.source.topic"))) {
                return;
            }
            String id = eventId(record.value());
            if (id != null) {
                deadLettered.add(id);
            }
            deadLetteredPoison.add(TopicRange.header(record, "dlq.source.partition") + "@"
                    + TopicRange.header(record, "dlq.source.offset"));
        });
        Set<String> stored = new HashSet<>();
        long storedRows = store.visit(stored::add);
        Set<String> parkedNow = this.parked.get();
        parked.addAll(parkedNow);

        List<String> lost = new ArrayList<>();
        for (String id : eventIds) {
            if (!stored.contains(id) && !deadLettered.contains(id) && !parked.contains(id)) {
                lost.add(id);
            }
        }
        for (String p : poison) {
            if (!deadLetteredPoison.contains(p)) {
                lost.add("record " + p);
            }
        }
        Map<String, Object> generated = new LinkedHashMap<>();
        generated.put("customerRecords", customerRecords[0]);
        generated.put("customerEvents", eventIds.size());
        generated.put("handedOverRecords", handedOver[0]);
        generated.put("poisonRecords", poison.size());
        generated.put("inventoryRecords", inventoryRecords[0]);
        Map<String, Object> dead = new LinkedHashMap<>();
        dead.put("total", byReason.values().stream().mapToLong(Long::longValue).sum());
        dead.put("byReason", byReason);
        dead.put("customerEvents", deadLettered.size());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("generated", generated);
        out.put("stored", stored.size());
        out.put("storedDuplicates", storedRows - stored.size());
        out.put("deadLettered", dead);
        out.put("parked", parkedNow.size());
        out.put("inFlight", Math.max(0, kafka.customerLag()));
        out.put("lost", lost.size());
        out.put("lostSample", lost.subList(0, Math.min(SAMPLE, lost.size())));
        return out;
    }

    /** The store's event ids, read where the store is: in this process, or through the API's pages. */
    @FunctionalInterface
    public interface StoredIds {
        /** Hands every stored event id to {@code sink}; returns the number of rows read. */
        long visit(java.util.function.Consumer<String> sink) throws Exception;
    }

    private static String eventId(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(value);
            JsonNode id = node == null ? null : node.get("eventId");
            return id != null && id.isTextual() && !id.asText().isEmpty() ? id.asText() : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static void readAll(TopicRange topic, java.util.function.Consumer<ConsumerRecord<String, byte[]>> visit) {
        try (KafkaConsumer<String, byte[]> consumer = topic.consumer(null)) {
            List<TopicPartition> partitions = topic.assignAll(consumer);
            consumer.seekToBeginning(partitions);
            topic.scan(consumer, partitions, record -> {
                visit.accept(record);
                return true;
            });
        }
    }
}
