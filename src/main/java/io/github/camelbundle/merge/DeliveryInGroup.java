package io.github.camelbundle.merge;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Sends a poll's exchange to delivery on another thread and, while it runs, keeps the merge consumer in
 * its group: every {@code pollEvery} its partitions are paused and it polls, which returns nothing and
 * tells the group it is alive. Delivery's worst case (redeliveries with backoff, then a batch resent
 * record by record) can outlast {@code max.poll.interval.ms}; the group would then drop the consumer,
 * its commit would fail and the whole poll be delivered again. Hand-written: camel-kafka processes a poll
 * on the consumer's thread and has no mode that pauses and polls while a route works.
 */
public class DeliveryInGroup {

    private final Duration pollEvery;
    private volatile ProducerTemplate template;

    /** @param pollEvery how often the consumer polls while delivery runs (merge.poll-while-delivering-ms) */
    public DeliveryInGroup(Number pollEvery) {
        this.pollEvery = Duration.ofMillis(pollEvery.longValue());
    }

    /** Sends the exchange to {@code endpoint} and returns once it is done there; its exception is thrown here. */
    public void send(Exchange exchange, String endpoint) throws Exception {
        Consumer<?, ?> consumer = ConsumerAccessFactory.consumerOf(exchange);
        Future<Exchange> done = template(exchange).asyncSend(endpoint, exchange);
        Set<TopicPartition> pausedHere = new HashSet<>();
        try {
            while (!isDone(done)) {
                pollPaused(consumer, pausedHere);
            }
        } catch (WakeupException stopping) {
            // the route is stopping: the exchange stays delivery's until delivery gives up (no redelivery
            // while stopping), then the poll fails and is read again on the next start
            awaitQuietly(done);
            throw stopping;
        } finally {
            Set<TopicPartition> resume = new HashSet<>(pausedHere);
            resume.retainAll(consumer.assignment());
            consumer.resume(resume);
        }
        Exception failure = exchange.getException();
        if (failure != null) {
            exchange.setException(null);
            throw failure;
        }
    }

    private boolean isDone(Future<Exchange> done) throws InterruptedException, ExecutionException {
        try {
            done.get(pollEvery.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException stillRunning) {
            return false;
        }
    }

    private static void awaitQuietly(Future<Exchange> done) throws InterruptedException {
        try {
            done.get();
        } catch (ExecutionException ignored) {
            // the poll fails anyway
        }
    }

    /**
     * Pauses what is assigned and not paused yet, then polls without waiting. A rebalance inside that poll
     * can assign partitions that were not paused: their records are not this poll's, so the consumer is
     * moved back to the first of them (they are read again after delivery) and they are paused too.
     */
    static void pollPaused(Consumer<?, ?> consumer, Set<TopicPartition> pausedHere) {
        Set<TopicPartition> toPause = new HashSet<>(consumer.assignment());
        toPause.removeAll(consumer.paused());
        consumer.pause(toPause);
        pausedHere.addAll(toPause);
        ConsumerRecords<?, ?> records = consumer.poll(Duration.ZERO);
        for (TopicPartition tp : records.partitions()) {
            consumer.seek(tp, records.records(tp).get(0).offset());
            consumer.pause(List.of(tp));
            pausedHere.add(tp);
        }
    }

    private ProducerTemplate template(Exchange exchange) {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    template = exchange.getContext().createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }
}
