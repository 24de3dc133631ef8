package io.github.camelbundle.dlq;

import io.github.camelbundle.merge.MergeBatch;
import io.github.camelbundle.monitor.PipelineMetrics;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * Turns a batch's dead letters into Kafka messages for the dead-letter topic: the payload as body,
 * the original key, and the contract's {@code dlq.*} headers as text. A payload over the configured
 * size is cut to it, with {@code dlq.original.size} and {@code dlq.original.sha256}: the producer
 * refuses a record over its max.request.size (checked uncompressed, so compression does not help), and
 * a dead letter that cannot be written stalls the poll it came from.
 */
public class DeadLetterMessages {

    public static final String ORIGINAL_SIZE = "dlq.original.size";
    public static final String ORIGINAL_SHA256 = "dlq.original.sha256";

    private final PipelineMetrics metrics;
    private final int maxPayloadBytes;

    /** @param maxPayloadBytes payloads over this are cut to it (dlq.max-payload-bytes) */
    public DeadLetterMessages(PipelineMetrics metrics, int maxPayloadBytes) {
        this.metrics = metrics;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    public List<Message> toMessages(Exchange exchange, MergeBatch batch) {
        String failedAt = Instant.now().toString();
        List<Message> messages = new ArrayList<>(batch.deadLetters().size());
        for (DeadLetter d : batch.deadLetters()) {
            Message m = new DefaultMessage(exchange.getContext());
            if (d.key() != null) {
                m.setHeader(KafkaConstants.KEY, d.key());
            }
            m.setHeader("dlq.reason", d.reason());
            m.setHeader("dlq.error.class", d.errorClass());
            m.setHeader("dlq.error.message", d.errorMessage());
            m.setHeader("dlq.source.topic", d.sourceTopic());
            m.setHeader("dlq.source.partition", Integer.toString(d.sourcePartition()));
            m.setHeader("dlq.source.offset", Long.toString(d.sourceOffset()));
            m.setHeader("dlq.route", d.route());
            m.setHeader("dlq.failed.at", failedAt);
            m.setHeader("dlq.replay.count", Integer.toString(d.replayCount()));
            byte[] payload = d.payload() == null ? new byte[0] : d.payload();
            if (payload.length > maxPayloadBytes) {
                m.setHeader(ORIGINAL_SIZE, Integer.toString(payload.length));
                m.setHeader(ORIGINAL_SHA256, sha256(payload));
                payload = Arrays.copyOf(payload, maxPayloadBytes);
            }
            m.setBody(payload);
            messages.add(m);
        }
        return messages;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Counts what was written, once the DLQ producer has acknowledged it. */
    public void written(MergeBatch batch) {
        for (DeadLetter d : batch.deadLetters()) {
            metrics.deadLettered(d.reason(), 1);
        }
    }
}
