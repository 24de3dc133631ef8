package io.github.camelbundle.kafka.poll;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Polls with every partition paused: the poll returns nothing and tells the group the consumer is alive,
 * while a route works on the last poll or consumption is suspended.
 */
final class PausedPolling {

    private final Set<TopicPartition> pausedHere = new HashSet<>();

    /**
     * Pauses what is assigned and not paused yet, then polls for at most {@code timeout}. A rebalance inside
     * that poll can assign partitions that were not paused: their records are not read now, so the consumer
     * is moved back to the first of them (read again later) and they are paused too.
     */
    void poll(Consumer<?, ?> consumer, Duration timeout) {
        Set<TopicPartition> toPause = new HashSet<>(consumer.assignment());
        toPause.removeAll(consumer.paused());
        consumer.pause(toPause);
        pausedHere.addAll(toPause);
        ConsumerRecords<?, ?> records = consumer.poll(timeout);
        for (TopicPartition tp : records.partitions()) {
            consumer.seek(tp, records.records(tp).get(0).offset());
            consumer.pause(List.of(tp));
            pausedHere.add(tp);
        }
    }

    /** Resumes what this paused and is still assigned. */
    void resume(Consumer<?, ?> consumer) {
        if (pausedHere.isEmpty()) {
            return;
        }
        Set<TopicPartition> resume = new HashSet<>(pausedHere);
        resume.retainAll(consumer.assignment());
        consumer.resume(resume);
        pausedHere.clear();
    }
}
