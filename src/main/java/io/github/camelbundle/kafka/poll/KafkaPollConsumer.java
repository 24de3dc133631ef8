package io.github.camelbundle.kafka.poll;

import io.github.camelbundle.kafka.PollPositions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.support.DefaultConsumer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop of a {@code kafka-poll} endpoint. On its own thread it polls, hands the poll to the route on a
 * second thread, and meanwhile keeps polling with every partition paused, so the route may take longer
 * than {@code max.poll.interval.ms} without the group dropping the consumer. When the route is done it
 * commits the poll, or, if the exchange failed or was marked rollback-only, moves the consumer back to
 * the last commit and pauses before reading it again. It never polls ahead of a poll in the works, so a
 * poll always starts where the last commit ends. Suspended (the route's consumer suspended, e.g. by an
 * open circuit breaker), it keeps polling paused and reads nothing.
 */
class KafkaPollConsumer extends DefaultConsumer implements Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaPollConsumer.class);
    /** W3C trace context: handed to Camel's tracer as text headers, so the route continues the producer's trace. */
    private static final List<String> TRACE_HEADERS = List.of("traceparent", "tracestate", "baggage");

    private final KafkaPollEndpoint endpoint;
    private final PollOffsets offsets;
    private volatile boolean running;
    private volatile boolean suspended;
    private ExecutorService pollThread;
    private ExecutorService routeThread;

    KafkaPollConsumer(KafkaPollEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.offsets = endpoint.offsets();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        suspended = false;
        var executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        routeThread = executors.newSingleThreadExecutor(this, "KafkaPollRoute[" + endpoint.getTopics() + "]");
        pollThread = executors.newSingleThreadExecutor(this, "KafkaPoll[" + endpoint.getTopics() + "]");
        pollThread.execute(this::run);
    }

    @Override
    protected void doStop() throws Exception {
        // the loop ends within one poll timeout, or once the route is done with a poll in the works
        running = false;
        var executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        if (pollThread != null) {
            executors.shutdownGraceful(pollThread);
            pollThread = null;
        }
        if (routeThread != null) {
            executors.shutdownNow(routeThread);
            routeThread = null;
        }
        super.doStop();
    }

    @Override
    protected void doSuspend() {
        suspended = true;
    }

    @Override
    protected void doResume() {
        suspended = false;
    }

    private void run() {
        try {
            consumeUntilStopped();
        } catch (Throwable t) {
            // an Error (out of memory, a class that cannot load) would otherwise end consumption without a word
            LOG.error("Kafka consumer of {} stopped: {}", endpoint.getTopics(), t.toString(), t);
            throw t;
        }
    }

    private void consumeUntilStopped() {
        while (running) {
            try (Consumer<String, byte[]> kafka = endpoint.newKafkaConsumer()) {
                kafka.subscribe(endpoint.topicList());
                consume(kafka);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (running) {
                    // the next consumer starts from the last commit: nothing uncommitted is skipped
                    LOG.warn("Kafka consumer of {} failed: {}; a new one reads from the last commit in {} ms",
                            endpoint.getTopics(), e.toString(), endpoint.getRetryPauseMs());
                    sleep(endpoint.getRetryPauseMs());
                }
            }
        }
    }

    private void consume(Consumer<String, byte[]> kafka) throws InterruptedException {
        PausedPolling whileSuspended = new PausedPolling();
        Duration pollTimeout = Duration.ofMillis(endpoint.getPollTimeoutMs());
        while (running) {
            if (suspended) {
                whileSuspended.poll(kafka, pollTimeout);
                continue;
            }
            whileSuspended.resume(kafka);
            ConsumerRecords<String, byte[]> records = kafka.poll(pollTimeout);
            if (records.isEmpty()) {
                continue;
            }
            Poll poll = new Poll(list(records), kafka instanceof PollPositions positions ? positions.lastPoll() : null);
            if (suspended) {
                // suspended while this poll was fetched (the breaker opened, or Camel is shutting down): not read
                offsets.seekBack(kafka, poll);
                continue;
            }
            Exchange exchange = createExchange(false);
            try {
                exchange.getMessage().setBody(poll);
                traceContext(records, exchange);
                routeKeepingAlive(kafka, exchange);
                settle(kafka, poll, exchange);
            } finally {
                releaseExchange(exchange, false);
            }
        }
    }

    /** Runs the route on its own thread; meanwhile this one polls paused every keepAliveMs. */
    private void routeKeepingAlive(Consumer<String, byte[]> kafka, Exchange exchange) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        routeThread.execute(() -> {
            try {
                getProcessor().process(exchange);
            } catch (Throwable t) {
                exchange.setException(t);
            } finally {
                done.countDown();
            }
        });
        PausedPolling keepAlive = new PausedPolling();
        try {
            while (!done.await(endpoint.getKeepAliveMs(), TimeUnit.MILLISECONDS)) {
                keepAlive.poll(kafka, Duration.ZERO);
            }
            keepAlive.resume(kafka);
        } catch (RuntimeException consumerFailed) {
            // no new consumer may read while this poll is still in the route: wait for it, then give up the consumer
            done.await();
            throw consumerFailed;
        }
    }

    /** Commits a poll the route is done with, or reads it again from the last commit. */
    private void settle(Consumer<String, byte[]> kafka, Poll poll, Exchange exchange) throws InterruptedException {
        Exception failure = exchange.getException();
        if (failure == null && !exchange.isRollbackOnly()) {
            try {
                offsets.commit(kafka, poll);
                return;
            } catch (RuntimeException e) {
                // e.g. the group moved on meanwhile: the poll is read again here or by the partitions' new owner
                LOG.warn("Could not commit {}: {}; it is read again from the last commit", poll, e.toString());
            }
        } else if (failure != null) {
            getExceptionHandler().handleException("Poll failed: read again from the last commit", exchange, failure);
        }
        offsets.rewind(kafka, poll, () -> running);
        PausedPolling pause = new PausedPolling();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(endpoint.getRetryPauseMs());
        try {
            for (long left = endpoint.getRetryPauseMs(); left > 0 && running;
                 left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())) {
                pause.poll(kafka, Duration.ofMillis(left));
            }
        } finally {
            pause.resume(kafka);
        }
    }

    private static List<ConsumerRecord<String, byte[]>> list(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>(records.count());
        records.forEach(out::add);
        return out;
    }

    /** The last record's trace context, as text headers (what Camel's tracer reads to continue a trace). */
    private static void traceContext(ConsumerRecords<String, byte[]> records, Exchange exchange) {
        ConsumerRecord<String, byte[]> last = null;
        for (ConsumerRecord<String, byte[]> r : records) {
            if (r.headers().lastHeader(TRACE_HEADERS.get(0)) != null) {
                last = r;
            }
        }
        if (last == null) {
            return;
        }
        for (String name : TRACE_HEADERS) {
            Header h = last.headers().lastHeader(name);
            if (h != null && h.value() != null) {
                exchange.getMessage().setHeader(name, new String(h.value(), StandardCharsets.UTF_8));
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
