package io.github.camelbundle.merge;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.SourceRef;
import io.github.camelbundle.monitor.PipelineMetrics;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Turns one Kafka poll (the batching consumer's {@code List<Exchange>}) into a {@link MergeBatch}:
 * each record is size-checked, parsed into its Java record and validated against the contract;
 * anything that fails becomes a dead letter with the reason and the field at fault, and the rest of
 * the batch flows on.
 */
public class IncomingRecordParser {

    private static final ObjectReader CUSTOMER_READER = Json.MAPPER.readerFor(CustomerEvent.class);
    private static final ObjectReader INVENTORY_READER = Json.MAPPER.readerFor(InventoryRecord.class);
    private static final String ROUTE = "kafka-to-merge";

    private final String customerTopic;
    private final String inventoryTopic;
    private final int maxRecordBytes;
    private final PipelineMetrics metrics;

    public IncomingRecordParser(String customerTopic, String inventoryTopic, int maxRecordBytes, PipelineMetrics metrics) {
        this.customerTopic = customerTopic;
        this.inventoryTopic = inventoryTopic;
        this.maxRecordBytes = maxRecordBytes;
        this.metrics = metrics;
    }

    public MergeBatch parse(List<Exchange> records) {
        MergeBatch batch = new MergeBatch();
        int customers = 0;
        int inventory = 0;
        for (Exchange record : records) {
            Message in = record.getMessage();
            String topic = in.getHeader(KafkaConstants.TOPIC, String.class);
            int partition = in.getHeader(KafkaConstants.PARTITION, Integer.class);
            long offset = in.getHeader(KafkaConstants.OFFSET, Long.class);
            String key = in.getHeader(KafkaConstants.KEY, String.class);
            byte[] value = in.getBody(byte[].class);
            batch.read(topic, partition, offset);
            if (customerTopic.equals(topic)) {
                customers++;
            } else if (inventoryTopic.equals(topic)) {
                inventory++;
            }
            DeadLetter rejected = classify(batch, topic, partition, offset, key, value);
            if (rejected != null) {
                batch.addDeadLetter(rejected);
            }
        }
        metrics.consumed(customerTopic, customers);
        metrics.consumed(inventoryTopic, inventory);
        return batch;
    }

    /** Parses one record into the batch; returns the dead letter when it cannot go on. */
    private DeadLetter classify(MergeBatch batch, String topic, int partition, long offset, String key, byte[] value) {
        if (value == null || value.length == 0) {
            return deadLetter(DeadLetter.INVALID_JSON, "EmptyRecord", "record value is empty", topic, partition, offset, key, value);
        }
        if (value.length > maxRecordBytes) {
            return deadLetter(DeadLetter.OVERSIZED, "OversizedRecord",
                    "record is " + value.length + " bytes, the limit is " + maxRecordBytes, topic, partition, offset, key, value);
        }
        try {
            if (customerTopic.equals(topic)) {
                CustomerEvent event = CUSTOMER_READER.readValue(value);
                String violation = RecordValidator.violation(event);
                if (violation != null) {
                    return deadLetter(DeadLetter.SCHEMA_VIOLATION, "SchemaViolation", violation, topic, partition, offset, key, value);
                }
                batch.customerEvents().add(new PendingEvent(event, new SourceRef(topic, partition, offset)));
            } else if (inventoryTopic.equals(topic)) {
                InventoryRecord stock = INVENTORY_READER.readValue(value);
                String violation = RecordValidator.violation(stock);
                if (violation != null) {
                    return deadLetter(DeadLetter.SCHEMA_VIOLATION, "SchemaViolation", violation, topic, partition, offset, key, value);
                }
                batch.inventory().add(stock);
            } else {
                return deadLetter(DeadLetter.SCHEMA_VIOLATION, "UnknownTopic", "topic: not one the merge reads", topic,
                        partition, offset, key, value);
            }
            return null;
        } catch (IOException e) {
            boolean schema = e instanceof MismatchedInputException && !isTrailingTokens(e);
            return deadLetter(schema ? DeadLetter.SCHEMA_VIOLATION : DeadLetter.INVALID_JSON, e.getClass().getName(),
                    describe(e), topic, partition, offset, key, value);
        }
    }

    private static boolean isTrailingTokens(IOException e) {
        return e.getMessage() != null && e.getMessage().startsWith("Trailing token");
    }

    /** A one-line explanation naming the field and the rule, without Jackson's source excerpt. */
    public static String describe(IOException e) {
        if (e instanceof JsonParseException parse) {
            return "not valid JSON: " + parse.getOriginalMessage() + " at byte " + parse.getLocation().getByteOffset();
        }
        if (e instanceof JsonMappingException mapping) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            if (field.isEmpty()) {
                return "record: must be a JSON object (" + firstLine(mapping.getOriginalMessage()) + ")";
            }
            Class<?> type = mapping instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
            String was = mapping instanceof InvalidFormatException invalid ? ", was '" + invalid.getValue() + "'" : "";
            return field + ": must be " + expected(type) + was;
        }
        return firstLine(e.getMessage());
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of the contract's type";
        }
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "an integer";
        }
        if (type == java.math.BigDecimal.class) {
            return "a decimal number";
        }
        if (type == Instant.class) {
            return "an ISO-8601 instant";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining("|"));
        }
        if (type == String.class) {
            return "a string";
        }
        return "a " + type.getSimpleName();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static DeadLetter deadLetter(String reason, String errorClass, String message, String topic, int partition,
                                         long offset, String key, byte[] value) {
        return new DeadLetter(reason, errorClass, message, topic, partition, offset, key, value, ROUTE, 0);
    }
}
