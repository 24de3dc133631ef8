package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.model.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Delivery against an analytics API that misbehaves (through {@link ControllableApi}), with the
 * real broker and store. Every test ends by counting: records in = stored + dead-lettered.
 */
class DeliveryResilienceTest {

    @TempDir
    Path data;
    ControllableApi api;
    RunningBundle bundle;
    DataSource store;

    @BeforeEach
    void startApi() throws Exception {
        api = new ControllableApi();
    }

    @AfterEach
    void stop() {
        if (bundle != null) {
            bundle.close();
        }
        api.close();
    }

    private void start(Map<String, String> extra) throws Exception {
        Map<String, String> props = new HashMap<>(Map.of(
                "generator.enabled", "false",
                "delivery.url", api.url(),
                "delivery.max-redeliveries", "3",
                "delivery.initial-delay-ms", "100",
                "delivery.max-delay-ms", "3000",
                "delivery.circuit.open-duration", "2s",
                "delivery.auth-probe-interval", "1s",
                "merge.retry-pause-ms", "200"));
        props.putAll(extra);
        bundle = RunningBundle.start(data, props);
        api.forwardTo(bundle.baseUrl());
        store = bundle.context().getRegistry().lookupByNameAndType("analyticsStore", AnalyticsStore.class).dataSource();
    }

    private String monitorLine() {
        return bundle.context().getRegistry().lookupByNameAndType("monitorLine", io.github.camelbundle.monitor.MonitorLine.class).line();
    }

    private long stored() {
        return StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records");
    }

    private List<ConsumerRecord<String, byte[]>> deadLetters() {
        return KafkaProbe.readAll(bundle.brokers(), "integration-dlq");
    }

    private void publish(String prefix, int customers) throws Exception {
        KafkaProbe.send(bundle.brokers(), "inventory-data", TestEvents.inventory(10, 1));
        KafkaProbe.send(bundle.brokers(), "customer-data", TestEvents.customers(prefix, customers, 10));
    }

    @Test
    void recordsTheApiRejectsGoToTheDeadLetterTopicAndTheRestAreDelivered() throws Exception {
        start(Map.of("delivery.batch-size", "500"));
        api.corrupted.addAll(List.of("r-7", "r-250", "r-499"));
        publish("r", 500);
        RunningBundle.await("497 stored, 3 dead-lettered", Duration.ofSeconds(60), () -> stored() == 497 && deadLetters().size() == 3);
        for (ConsumerRecord<String, byte[]> d : deadLetters()) {
            Map<String, String> h = KafkaProbe.headers(d);
            assertEquals("REJECTED_BY_API", h.get("dlq.reason"));
            assertTrue(h.get("dlq.error.message").startsWith("quantity"), h.get("dlq.error.message"));
            assertEquals("customer-data", h.get("dlq.source.topic"));
        }
        assertEquals(500, stored() + deadLetters().size());
        assertEquals(497, bundle.metric("integration_records_delivered_total"));
    }

    /**
     * A 2xx is an acknowledgement only when it accounts for every record sent: an empty count, an index
     * outside the batch and a body that is not the API's answer are failed deliveries, redelivered, and
     * the poll is never committed on them (before, the first one committed 50 records nobody stored).
     */
    @Test
    void aSuccessThatDoesNotAccountForEveryRecordIsRetriedAndNeverCommitted() throws Exception {
        start(Map.of("delivery.concurrency", "1"));
        api.answerOnce(200, "{\"accepted\":0,\"duplicates\":0,\"rejected\":[]}");
        api.answerOnce(200, "{\"accepted\":49,\"duplicates\":0,\"rejected\":[{\"index\":50,\"reason\":\"x\"}]}");
        api.answerOnce(200, "<html>ok</html>");
        publish("ua", 50);
        RunningBundle.await("50 stored", Duration.ofSeconds(60), () -> stored() == 50);
        assertTrue(api.arrivals.size() >= 4, "three unaccounted answers, then the batch: " + api.arrivals.size());
        assertEquals(0, deadLetters().size());
        assertEquals(50, bundle.metric("integration_records_delivered_total"));
        assertTrue(bundle.metric("integration_delivery_retries_total") >= 3);
    }

    /**
     * delivery.on-exhausted=dead-letter: a batch whose redeliveries run out is dead-lettered as
     * DELIVERY_EXHAUSTED, every record with its reason, and the poll is committed past it; nothing is stored.
     */
    @Test
    void exhaustedRedeliveriesDeadLetterTheBatchWhenSoConfigured() throws Exception {
        start(Map.of("delivery.on-exhausted", "dead-letter", "delivery.max-redeliveries", "2",
                "delivery.circuit.failure-threshold", "1000"));
        api.mode(ControllableApi.Mode.UNAVAILABLE);
        publish("ex", 20);
        RunningBundle.await("20 dead letters and their offsets committed", Duration.ofSeconds(60),
                () -> deadLetters().size() == 20 && KafkaProbe.committed(bundle.brokers(), "customer-inventory-merge", "customer-data") == 20);
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (ConsumerRecord<String, byte[]> d : deadLetters()) {
            Map<String, String> h = KafkaProbe.headers(d);
            assertEquals("DELIVERY_EXHAUSTED", h.get("dlq.reason"));
            assertEquals("customer-data", h.get("dlq.source.topic"));
            ids.add(Json.MAPPER.readTree(d.value()).path("eventId").asText());
        }
        assertEquals(20, ids.size(), "each record dead-lettered once: " + ids);
        assertEquals(0, stored());
        assertTrue(api.arrivals.size() >= 3, "the batch was tried 1 + 2 times: " + api.arrivals.size());
    }

    /**
     * A delivery that takes longer than max.poll.interval.ms (here 3 s; an outage of over 7 s with
     * redeliveries) does not cost the consumer its place in the group: it keeps polling with its
     * partitions paused, so the poll is committed once the API answers and no record is sent again.
     * Without that the group drops the consumer, the commit fails and the poll is delivered twice.
     */
    @Test
    void aDeliveryLongerThanTheMaxPollIntervalKeepsTheConsumerInItsGroup() throws Exception {
        start(Map.of("camel.component.kafka.maxPollIntervalMs", "3000", "merge.poll-while-delivering-ms", "500",
                "delivery.max-redeliveries", "50", "delivery.initial-delay-ms", "200", "delivery.max-delay-ms", "1000",
                "delivery.circuit.failure-threshold", "1000"));
        api.mode(ControllableApi.Mode.UNAVAILABLE);
        publish("slow", 50);
        RunningBundle.await("the first refused delivery", Duration.ofSeconds(60), () -> !api.arrivals.isEmpty());
        RunningBundle.await("an outage over twice max.poll.interval.ms", Duration.ofSeconds(60),
                () -> System.currentTimeMillis() - api.arrivals.get(0) > 7_000);
        api.mode(ControllableApi.Mode.FORWARD);
        RunningBundle.await("50 stored and their offsets committed", Duration.ofSeconds(60),
                () -> stored() == 50 && KafkaProbe.committed(bundle.brokers(), "customer-inventory-merge", "customer-data") == 50);
        // a dropped consumer's commit is refused: its offsets reach 50 only after the poll was delivered again
        assertEquals(50, api.forwardedRecords.get(), "each record was passed to the API once");
        assertEquals(0.0, bundle.metric("integration_merge_poll_failures_total"), "no poll failed");
        assertEquals(0, deadLetters().size());
    }

    /**
     * A redirect or 405 says delivery.url is not the ingest endpoint: like a refused key, delivery
     * stops with readiness DOWN and nothing is dead-lettered (before, the batch was split and every
     * record dead-lettered as REJECTED_BY_API); once the URL answers, everything is delivered.
     */
    @ParameterizedTest
    @ValueSource(ints = {301, 405})
    void aStatusSayingTheUrlIsWrongStopsDeliveryAndDeadLettersNothing(int status) throws Exception {
        start(Map.of());
        api.answerAlways(status, "http://127.0.0.1:1/elsewhere");
        publish("w" + status, 300);
        RunningBundle.await("readiness DOWN naming delivery.url", Duration.ofSeconds(30),
                () -> status(bundle.managementUrl() + "/observe/health/ready") == 503
                        && bodyOrEmpty(bundle.managementUrl() + "/observe/health?exposureLevel=full")
                        .contains("HTTP " + status));
        assertTrue(monitorLine().contains("| circuit stopped (delivery.url wrong, HTTP " + status + ") |"), monitorLine());
        assertEquals(0, stored());
        assertEquals(0, deadLetters().size());

        api.answerAlways(0, null);
        RunningBundle.await("300 stored once delivery.url answers", Duration.ofSeconds(60), () -> stored() == 300);
        RunningBundle.await("readiness UP", Duration.ofSeconds(10),
                () -> status(bundle.managementUrl() + "/observe/health/ready") == 200);
        assertEquals(0, deadLetters().size());
    }

    @Test
    void retryAfterFromTheApiIsHonoured() throws Exception {
        start(Map.of("delivery.concurrency", "1"));
        api.unavailableWithRetryAfter(2, "2");
        publish("ra", 50);
        RunningBundle.await("50 stored", Duration.ofSeconds(60), () -> stored() == 50);
        List<Long> t = api.arrivals;
        assertTrue(t.size() >= 3, "two refusals and one success");
        assertTrue(t.get(1) - t.get(0) >= 1900, "second try waited Retry-After: " + (t.get(1) - t.get(0)) + " ms");
        assertTrue(t.get(2) - t.get(1) >= 1900, "third try waited Retry-After: " + (t.get(2) - t.get(1)) + " ms");
        assertEquals(0, deadLetters().size());
        assertTrue(bundle.metric("integration_delivery_retries_total") >= 2);
    }

    /**
     * A starting API answers 404 for a few tens of ms (its HTTP server listens before the ingest route
     * starts; the analytics-down fault scenario dead-lettered 8 records that way): retried, not split
     * and dead-lettered record by record.
     */
    @Test
    void aNotFoundFromAStartingApiIsRetriedAndDeadLettersNothing() throws Exception {
        start(Map.of("delivery.concurrency", "1"));
        api.notFoundFor(3);
        publish("nf", 50);
        RunningBundle.await("50 stored", Duration.ofSeconds(60), () -> stored() == 50);
        assertTrue(api.arrivals.size() >= 4, "three 404s, then the batch: " + api.arrivals.size());
        assertEquals(0, deadLetters().size());
        assertEquals(0, bundle.metric("integration_delivery_batches_total", "outcome=\"split\""));
    }

    @Test
    void aBatchRefusedAsAWholeIsSplitDownToTheBadRecord() throws Exception {
        start(Map.of());
        api.refused.add("s-42");
        publish("s", 200);
        RunningBundle.await("199 stored, 1 dead-lettered", Duration.ofSeconds(60), () -> stored() == 199 && deadLetters().size() == 1);
        Map<String, String> h = KafkaProbe.headers(deadLetters().get(0));
        assertEquals("REJECTED_BY_API", h.get("dlq.reason"));
        assertTrue(h.get("dlq.error.message").startsWith("HTTP 422"), h.get("dlq.error.message"));
        assertTrue(new String(deadLetters().get(0).value()).contains("\"eventId\":\"s-42\""));
        assertEquals(200, stored() + deadLetters().size());
        assertTrue(bundle.metric("integration_delivery_batches_total", "outcome=\"split\"") >= 1);
    }

    @Test
    void refusedApiKeyStopsConsumptionTurnsReadinessDownAndNothingIsDeadLettered() throws Exception {
        start(Map.of());
        api.mode(ControllableApi.Mode.UNAUTHORIZED);
        publish("u", 300);
        RunningBundle.await("readiness DOWN for the refused key", Duration.ofSeconds(30),
                () -> status(bundle.managementUrl() + "/observe/health/ready") == 503
                        && bodyOrEmpty(bundle.managementUrl() + "/observe/health?exposureLevel=full").contains("API key"));
        assertTrue(monitorLine().contains("| circuit stopped (API key refused, HTTP 401) |"), monitorLine());
        Thread.sleep(2000);
        assertEquals(0, stored());
        assertEquals(0, deadLetters().size());
        assertEquals(200, status(bundle.managementUrl() + "/observe/health/live"), "liveness stays UP");

        api.mode(ControllableApi.Mode.FORWARD);
        RunningBundle.await("300 stored after the key is accepted again", Duration.ofSeconds(60), () -> stored() == 300);
        RunningBundle.await("readiness UP", Duration.ofSeconds(10),
                () -> status(bundle.managementUrl() + "/observe/health/ready") == 200);
        assertEquals(0, deadLetters().size());
    }

    @Test
    void apiOutageOpensTheBreakerSuspendsConsumptionAndEverythingIsDeliveredAfterwards() throws Exception {
        start(Map.of("delivery.max-delay-ms", "300"));
        api.mode(ControllableApi.Mode.UNAVAILABLE);
        publish("o", 1000);
        RunningBundle.await("circuit open", Duration.ofSeconds(30),
                () -> metric("integration_circuit_state") == 1);
        assertEquals(503, status(bundle.managementUrl() + "/observe/health/ready"));
        Thread.sleep(3000);
        assertEquals(0, stored());
        assertEquals(0, deadLetters().size(), "an outage never dead-letters");

        api.mode(ControllableApi.Mode.FORWARD);
        RunningBundle.await("1000 stored after recovery", Duration.ofSeconds(60), () -> stored() == 1000);
        RunningBundle.await("circuit closed", Duration.ofSeconds(10), () -> metric("integration_circuit_state") == 0);
        assertEquals(0, deadLetters().size());
        // the ids themselves: a count of distinct primary keys could never differ from the row count
        assertEquals(java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "o-" + i).collect(java.util.stream.Collectors.toSet()),
                StoreProbe.eventIds(store));
    }

    @Test
    void eventsWaitingForInventoryDuringAnOutageWaitOnAndAreAllDelivered() throws Exception {
        start(Map.of("merge.max-wait", "2s", "delivery.max-delay-ms", "300"));
        api.mode(ControllableApi.Mode.UNAVAILABLE);
        // a first batch opens the breaker, then 200 events park for products whose inventory comes later
        publish("first", 50);
        RunningBundle.await("circuit open", Duration.ofSeconds(30), () -> metric("integration_circuit_state") == 1);
        KafkaProbe.send(bundle.brokers(), "customer-data", TestEvents.customers("late", 200, 5).stream()
                .map(e -> Map.entry("Q" + e.getKey(), new String(e.getValue()).replace("\"productId\":\"P", "\"productId\":\"QP")
                        .getBytes())).toList());
        Thread.sleep(8000);
        // max-wait passed several times while consumption was suspended: nothing may be dead-lettered
        assertEquals(0, deadLetters().size());
        api.mode(ControllableApi.Mode.FORWARD);
        List<Map.Entry<String, byte[]>> stock = TestEvents.inventory(5, 1).stream()
                .map(e -> Map.entry("Q" + e.getKey(), new String(e.getValue()).replace("\"productId\":\"P", "\"productId\":\"QP")
                        .getBytes())).toList();
        KafkaProbe.send(bundle.brokers(), "inventory-data", stock);
        RunningBundle.await("250 stored", Duration.ofSeconds(90), () -> stored() == 250);
        assertEquals(0, deadLetters().size());
    }

    private double metric(String name) {
        try {
            return bundle.metric(name);
        } catch (Exception e) {
            return -1;
        }
    }

    private int status(String url) {
        try {
            return bundle.get(url).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private String bodyOrEmpty(String url) {
        try {
            return bundle.get(url).body();
        } catch (Exception e) {
            return "";
        }
    }
}
