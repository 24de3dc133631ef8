package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.analytics.AnalyticsStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import io.github.camelbundle.kafka.poll.Poll;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: a poll that keeps failing. A fault woven into the merge (a step that throws when its poll
 * holds a given record, or every poll while a switch is on) stands for a record no step can take, or a
 * merge that cannot advance. The record is isolated and dead-lettered while the rest flows; a merge that
 * cannot advance turns readiness DOWN and says so, and recovers.
 */
class PoisonPollTest {

    @TempDir
    Path data;
    RunningBundle bundle;
    DataSource store;
    final AtomicBoolean failEveryPoll = new AtomicBoolean();

    private void start() throws Exception {
        bundle = RunningBundle.start(data, Map.of("generator.enabled", "false", "merge.retry-pause-ms", "100",
                "merge.stall-timeout", "3s", "merge.isolate-after-failures", "3"));
        store = bundle.context().getRegistry().lookupByNameAndType("analyticsStore", AnalyticsStore.class).dataSource();
        AdviceWith.adviceWith(bundle.context(), "merge-batch", route -> route.weaveAddFirst().process(this::fault));
    }

    /** The fault: a poll holding the poison record fails, wherever it is merged; every poll while the switch is on. */
    private void fault(Exchange exchange) {
        if (failEveryPoll.get()) {
            throw new IllegalStateException("injected: every poll fails");
        }
        for (ConsumerRecord<String, byte[]> record : exchange.getMessage().getBody(Poll.class).records()) {
            byte[] value = record.value();
            if (value != null && new String(value, StandardCharsets.UTF_8).contains("\"poison\"")) {
                throw new IllegalStateException("injected: this record cannot be merged");
            }
        }
    }

    @AfterEach
    void stop() {
        if (bundle != null) {
            bundle.close();
        }
    }

    private long stored() {
        return StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records");
    }

    private int ready() {
        try {
            return bundle.get(bundle.managementUrl() + "/observe/health/ready").statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private double metric(String name, String... labels) {
        try {
            return bundle.metric(name, labels);
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void aRecordThatKeepsFailingItsPollIsIsolatedAndDeadLetteredWhileTheRestIsStored() throws Exception {
        start();
        KafkaProbe.send(bundle.brokers(), "inventory-data", TestEvents.inventory(10, 1));
        List<Map.Entry<String, byte[]>> events = new ArrayList<>(TestEvents.customers("before", 100, 10));
        events.add(Map.entry("P3", ("{\"eventId\":\"poison\",\"customerId\":\"C1\",\"name\":\"A\",\"email\":\"a@b\","
                + "\"tier\":\"GOLD\",\"region\":\"NA\",\"productId\":\"P3\",\"quantity\":1,\"eventTime\":\"2026-01-01T00:00:00Z\"}")
                .getBytes(StandardCharsets.UTF_8)));
        events.addAll(TestEvents.customers("after", 100, 10));
        KafkaProbe.send(bundle.brokers(), "customer-data", events);

        RunningBundle.await("200 stored and the poison dead-lettered", Duration.ofSeconds(60),
                () -> stored() == 200 && KafkaProbe.readAll(bundle.brokers(), "integration-dlq").size() == 1);
        List<ConsumerRecord<String, byte[]>> dlq = KafkaProbe.readAll(bundle.brokers(), "integration-dlq");
        Map<String, String> h = KafkaProbe.headers(dlq.get(0));
        assertEquals("UNPROCESSABLE", h.get("dlq.reason"));
        assertTrue(new String(dlq.get(0).value(), StandardCharsets.UTF_8).contains("\"poison\""));
        assertTrue(h.get("dlq.error.message").contains("injected: this record cannot be merged"), h.toString());
        assertEquals("customer-data", h.get("dlq.source.topic"));
        // read again exactly until isolation: merge.isolate-after-failures
        assertEquals(3, metric("integration_merge_poll_failures_total", "cause=\"error\""));
        assertEquals(1, metric("integration_merge_records_isolated_total"));
        RunningBundle.await("ready", Duration.ofSeconds(10), () -> ready() == 200);
        assertEquals(0, metric("integration_merge_stalled_seconds"));
        assertEquals(200, stored());
    }

    @Test
    void aMergeThatCannotAdvanceTurnsReadinessDownDeadLettersNothingAndRecovers() throws Exception {
        start();
        KafkaProbe.send(bundle.brokers(), "inventory-data", TestEvents.inventory(10, 1));
        RunningBundle.await("ready", Duration.ofSeconds(30), () -> ready() == 200);
        failEveryPoll.set(true);
        KafkaProbe.send(bundle.brokers(), "customer-data", TestEvents.customers("stuck", 50, 10));

        RunningBundle.await("readiness DOWN after merge.stall-timeout", Duration.ofSeconds(30), () -> ready() == 503);
        assertTrue(metric("integration_merge_stalled_seconds") > 3);
        assertTrue(metric("integration_merge_poll_failures_total", "cause=\"error\"") >= 3);
        assertEquals(0, stored());

        failEveryPoll.set(false);
        RunningBundle.await("50 stored", Duration.ofSeconds(30), () -> stored() == 50);
        RunningBundle.await("ready again", Duration.ofSeconds(10), () -> ready() == 200);
        // the last poll is stored before it is committed: the gauge returns to 0 with the commit
        RunningBundle.await("the stall gauge back to 0", Duration.ofSeconds(10),
                () -> metric("integration_merge_stalled_seconds") == 0);
        assertEquals(0, KafkaProbe.readAll(bundle.brokers(), "integration-dlq").size(), "an outage is no record's fault");
    }
}
