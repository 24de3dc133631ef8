package io.github.camelbundle.kafka.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The polls that keep the consumer in its group while a route works on a poll: they read nothing, and a
 * partition a rebalance assigned in the middle (not paused yet, so its records came back) is read again
 * afterwards from its first record.
 */
class PausedPollingTest {

    static final TopicPartition P0 = new TopicPartition("customer-data", 0);
    static final TopicPartition P1 = new TopicPartition("customer-data", 1);

    @Test
    void pausedPollsReturnNothingAndSkipNothing() {
        MockConsumer<String, String> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        consumer.subscribe(List.of("customer-data"));
        consumer.rebalance(List.of(P0));
        consumer.updateBeginningOffsets(new HashMap<>(Map.of(P0, 0L, P1, 0L)));
        consumer.seek(P0, 0);
        consumer.addRecord(new ConsumerRecord<>("customer-data", 0, 0, "k", "a"));
        PausedPolling polling = new PausedPolling();

        polling.poll(consumer, Duration.ZERO);
        assertEquals(Set.of(P0), consumer.paused(), "the assigned partition is paused");
        assertEquals(0, consumer.position(P0), "its record was not read");

        // a rebalance inside the next poll hands this consumer another partition, with records
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0, P1));
            consumer.addRecord(new ConsumerRecord<>("customer-data", 1, 0, "k", "b"));
            consumer.addRecord(new ConsumerRecord<>("customer-data", 1, 1, "k", "c"));
        });
        polling.poll(consumer, Duration.ZERO);
        assertEquals(Set.of(P0, P1), consumer.paused());
        assertEquals(0, consumer.position(P1), "the new partition is read again from its first record");
        assertEquals(0, consumer.position(P0), "and the first partition, paused again, from where it was");

        polling.resume(consumer);
        assertTrue(consumer.paused().isEmpty(), "what it paused is resumed");
    }
}
