package io.github.camelbundle.merge;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Commits the customer partitions of a batch once its records are stored, dead-lettered or parked
 * in the durable parking repository, in one synchronous commit of exact per-partition offsets.
 * Written by hand because camel-kafka's batch commit commits one partition (the last record's), its
 * auto-commit commits the consumer position (CAMEL-23994), and its breakOnFirstError reconnects the
 * whole consumer (a group rejoin) where a seek back is enough.
 * Inventory partitions are deliberately never committed: the table is rebuilt from the start of
 * the inventory topic on every start, which is what keeps the join correct after a restart.
 * Runs on the consumer's own thread (the merge route is synchronous), as the Kafka client requires.
 */
public class OffsetCommitter {

    private final String customerTopic;
    private final Duration timeout;

    public OffsetCommitter(String customerTopic, Duration timeout) {
        this.customerTopic = customerTopic;
        this.timeout = timeout;
    }

    public void commit(Exchange exchange, MergeBatch batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        batch.lastOffsets().forEach((partition, last) -> {
            if (customerTopic.equals(partition.topic())) {
                offsets.put(partition, new OffsetAndMetadata(last + 1));
            }
        });
        if (offsets.isEmpty()) {
            return;
        }
        consumerOf(exchange).commitSync(offsets, timeout);
    }

    /**
     * After a failed batch: moves the consumer back to the last committed offset of each customer
     * partition of the batch, so the next poll reads the batch again (the store drops what was already
     * stored, and parking the same event again adds nothing to its group).
     */
    public void rewind(Exchange exchange, MergeBatch batch) {
        if (batch == null) {
            return;
        }
        Consumer<?, ?> consumer = consumerOf(exchange);
        Set<TopicPartition> partitions = new HashSet<>();
        for (TopicPartition tp : batch.lastOffsets().keySet()) {
            if (customerTopic.equals(tp.topic()) && consumer.assignment().contains(tp)) {
                partitions.add(tp);
            }
        }
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions, timeout);
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata last = committed.get(tp);
            long from = last == null ? consumer.beginningOffsets(List.of(tp), timeout).get(tp) : last.offset();
            consumer.seek(tp, from);
        }
    }

    private static Consumer<?, ?> consumerOf(Exchange exchange) {
        Object manual = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT);
        if (!(manual instanceof DefaultKafkaManualCommit commit)) {
            throw new IllegalStateException("the merge consumer must run with allowManualCommit=true and "
                    + "DefaultKafkaManualCommitFactory; found " + manual);
        }
        return commit.getCamelExchangePayload().consumer;
    }
}
