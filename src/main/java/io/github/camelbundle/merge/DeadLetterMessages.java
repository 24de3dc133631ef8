package io.github.camelbundle.merge;

import io.github.camelbundle.monitor.PipelineMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * Turns a batch's dead letters into Kafka messages for the dead-letter topic: the payload as body,
 * the original key, and the contract's {@code dlq.*} headers as text.
 */
public class DeadLetterMessages {

    private final PipelineMetrics metrics;

    public DeadLetterMessages(PipelineMetrics metrics) {
        this.metrics = metrics;
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
            m.setBody(d.payload() == null ? new byte[0] : d.payload());
            messages.add(m);
        }
        return messages;
    }

    /** Counts what was written, once the DLQ producer has acknowledged it. */
    public void written(MergeBatch batch) {
        for (DeadLetter d : batch.deadLetters()) {
            metrics.deadLettered(d.reason(), 1);
        }
    }
}
