package io.github.camelbundle.merge;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.github.camelbundle.dlq.DeadLetter;
import io.github.camelbundle.dlq.SteeringHeaders;
import io.github.camelbundle.kafka.poll.Poll;
import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.JsonProblems;
import io.github.camelbundle.model.RecordValidator;
import io.github.camelbundle.model.SourceRef;
import io.github.camelbundle.monitor.PipelineMetrics;
import java.io.IOException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns one Kafka poll (the body of the merge's {@code kafka-poll} consumer) into a {@link MergeBatch}:
 * each record is size-checked, parsed into its Java record and validated against the contract;
 * anything that fails becomes a dead letter with the reason and the field at fault, and the rest of
 * the batch flows on.
 */
public class IncomingRecordParser {

    private static final ObjectReader CUSTOMER_READER = Json.MAPPER.readerFor(CustomerEvent.class);
    private static final ObjectReader INVENTORY_READER = Json.MAPPER.readerFor(InventoryRecord.class);
    private static final String ROUTE = "kafka-to-merge";
    /** The header the replay tool stamps on a record it re-publishes. */
    public static final String REPLAY_COUNT = "dlq.replay.count";
    /** The header a waiting event carries when another instance hands it over (its spent wait). */
    public static final String WAIT_EXTENSIONS = "merge.wait.extensions";

    private final String customerTopic;
    private final String inventoryTopic;
    private final int maxRecordBytes;
    private final PipelineMetrics metrics;
    private final SteeringHeaders steering;

    public IncomingRecordParser(String customerTopic, String inventoryTopic, int maxRecordBytes, PipelineMetrics metrics,
                                SteeringHeaders steering) {
        this.steering = steering;
        this.customerTopic = customerTopic;
        this.inventoryTopic = inventoryTopic;
        this.maxRecordBytes = maxRecordBytes;
        this.metrics = metrics;
    }

    /** With the consumer's own account of where it read each partition from (see {@link Poll#spans()}). */
    public MergeBatch parse(Poll poll) {
        MergeBatch batch = new MergeBatch();
        batch.spans(poll.spans());
        int customers = 0;
        int inventory = 0;
        for (ConsumerRecord<String, byte[]> in : poll.records()) {
            String topic = in.topic();
            String key = in.key();
            byte[] value = in.value();
            int replayCount = SteeringHeaders.count(header(in, REPLAY_COUNT));
            int waitExtensions = SteeringHeaders.count(header(in, WAIT_EXTENSIONS));
            // honoured only when the bundle wrote them (replay, hand-over): an outside producer's are ignored
            if ((replayCount != 0 || waitExtensions != 0)
                    && !steering.verify(header(in, SteeringHeaders.SIGNATURE), key, value, replayCount, waitExtensions)) {
                replayCount = 0;
                waitExtensions = 0;
            }
            batch.read(topic, in.partition(), in.offset());
            if (customerTopic.equals(topic)) {
                customers++;
            } else if (inventoryTopic.equals(topic)) {
                inventory++;
            }
            DeadLetter rejected = classify(batch, new RawRecord(topic, in.partition(), in.offset(), key, value, replayCount,
                    waitExtensions));
            if (rejected != null) {
                batch.addDeadLetter(rejected);
            }
        }
        metrics.consumed(customerTopic, customers);
        metrics.consumed(inventoryTopic, inventory);
        return batch;
    }

    /** A record header's value as read (bytes); null when absent. */
    static byte[] header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : h.value();
    }

    /** One Kafka record as read, before parsing. */
    private record RawRecord(String topic, int partition, long offset, String key, byte[] value, int replays,
                             int waitExtensions) {

        DeadLetter reject(String reason, String errorClass, String message) {
            return new DeadLetter(reason, errorClass, message, topic, partition, offset, key, value, ROUTE, replays);
        }
    }

    /** Parses one record into the batch; returns the dead letter when it cannot go on. */
    private DeadLetter classify(MergeBatch batch, RawRecord raw) {
        byte[] value = raw.value();
        // a tombstone on the compacted inventory topic deletes the product from the table
        if (value == null && inventoryTopic.equals(raw.topic()) && raw.key() != null && !raw.key().isEmpty()) {
            batch.removeProduct(raw.key());
            return null;
        }
        if (value == null || value.length == 0) {
            return raw.reject(DeadLetter.INVALID_JSON, "EmptyRecord", "record value is empty");
        }
        if (value.length > maxRecordBytes) {
            return raw.reject(DeadLetter.OVERSIZED, "OversizedRecord",
                    "record is " + value.length + " bytes, the limit is " + maxRecordBytes);
        }
        try {
            if (customerTopic.equals(raw.topic())) {
                CustomerEvent event = CUSTOMER_READER.readValue(value);
                String violation = RecordValidator.violation(event);
                if (violation != null) {
                    return raw.reject(DeadLetter.SCHEMA_VIOLATION, "SchemaViolation", violation);
                }
                batch.customerEvents().add(new PendingEvent(event,
                        new SourceRef(raw.topic(), raw.partition(), raw.offset()), raw.replays(), raw.waitExtensions()));
            } else if (inventoryTopic.equals(raw.topic())) {
                InventoryRecord stock = INVENTORY_READER.readValue(value);
                String violation = RecordValidator.violation(stock);
                if (violation != null) {
                    return raw.reject(DeadLetter.SCHEMA_VIOLATION, "SchemaViolation", violation);
                }
                batch.updateProduct(stock);
            } else {
                return raw.reject(DeadLetter.SCHEMA_VIOLATION, "UnknownTopic", "topic: not one the merge reads");
            }
            return null;
        } catch (IOException e) {
            boolean schema = e instanceof MismatchedInputException && !isTrailingTokens(e);
            return raw.reject(schema ? DeadLetter.SCHEMA_VIOLATION : DeadLetter.INVALID_JSON, e.getClass().getName(),
                    JsonProblems.describe(e));
        }
    }

    private static boolean isTrailingTokens(IOException e) {
        return e.getMessage() != null && e.getMessage().startsWith("Trailing token");
    }
}
