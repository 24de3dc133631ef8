package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.Region;
import io.github.camelbundle.model.Tier;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: a burst of events that all wait, then their inventory all at once. Every waiting event must
 * be released and stored (not expired while the release works through the burst), and only the events
 * whose product never gets inventory are dead-lettered.
 */
class LateInventoryBurstTest {

    private static final int EVENTS = 10_000;
    private static final int PRODUCTS = 1_000;
    private static final int ORPHANS = 50;

    @TempDir
    Path data;
    RunningBundle bundle;
    DataSource store;

    @AfterEach
    void stop() {
        if (bundle != null) {
            bundle.close();
        }
    }

    @Test
    void aBurstOfWaitingEventsIsReleasedWhenItsInventoryArrivesAndOnlyOrphansExpire() throws Exception {
        // max-wait 5 s: the inventory comes 2 s after the burst, well inside it, so nothing valid may expire
        bundle = RunningBundle.start(data, Map.of("generator.enabled", "false", "merge.max-wait", "5s"));
        store = bundle.context().getRegistry().lookupByNameAndType("analyticsStore", AnalyticsStore.class).dataSource();

        List<Map.Entry<String, byte[]>> burst = new ArrayList<>(TestEvents.customers("burst", EVENTS, PRODUCTS));
        burst.addAll(orphans());
        KafkaProbe.send(bundle.brokers(), "customer-data", burst);
        // the scenario, not a wait for an outcome: the inventory is published 2 s after the broker
        // acknowledged the last event
        TimeUnit.SECONDS.sleep(2);
        KafkaProbe.send(bundle.brokers(), "inventory-data", TestEvents.inventory(PRODUCTS, 1));

        awaitEveryEventStoredOrDeadLettered(Duration.ofMinutes(3));

        Set<String> expected = ids("burst", EVENTS);
        Set<String> stored = StoreProbe.eventIds(store);
        // the ids themselves, both ways: a count could balance a missing event with a stray one
        assertNoneMissing("valid events not stored", expected, stored);
        assertNoneMissing("stored events that are not among the valid ones", stored, expected);

        List<ConsumerRecord<String, byte[]>> dlq = KafkaProbe.readAll(bundle.brokers(), "integration-dlq");
        List<String> deadLettered = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> d : dlq) {
            String eventId = Json.MAPPER.readTree(d.value()).path("eventId").asText();
            deadLettered.add(eventId);
            assertEquals("NO_INVENTORY", KafkaProbe.headers(d).get("dlq.reason"), "reason of " + eventId);
        }
        assertEquals(ids("orphan", ORPHANS), new TreeSet<>(deadLettered), "the dead-lettered events");
        assertEquals(ORPHANS, deadLettered.size(), "each orphan dead-lettered once, nothing else");

        RunningBundle.await("nothing left parked", Duration.ofSeconds(60),
                () -> metric("integration_records_parked") == 0);

        // released per poll, not per event: the API got the burst in batches (a count, not a time)
        double posts = metric("camel_exchanges_total", "routeId=\"analytics-ingest\"");
        assertTrue(posts > 0 && posts < EVENTS / 10.0, "POSTs to the analytics API for " + EVENTS + " events: " + posts);
    }

    /** Every event ended somewhere; on timeout, says where they are. */
    private void awaitEveryEventStoredOrDeadLettered(Duration timeout) throws InterruptedException {
        try {
            RunningBundle.await("every event stored or dead-lettered", timeout,
                    () -> stored() + metric("integration_records_dead_lettered_total") >= EVENTS + ORPHANS);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": stored " + stored() + " of " + EVENTS + ", dead-lettered "
                    + metric("integration_records_dead_lettered_total") + ", parked " + metric("integration_records_parked"), e);
        }
    }

    private static List<Map.Entry<String, byte[]>> orphans() throws Exception {
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < ORPHANS; i++) {
            // products no inventory is ever published for
            String product = "NEVER-" + i;
            records.add(Map.entry(product, Json.MAPPER.writeValueAsBytes(new CustomerEvent("orphan-" + i, "C" + i,
                    "Alan Turing", "alan@example.com", Tier.GOLD, Region.EU, product, 2, Instant.now(), Map.of()))));
        }
        return records;
    }

    private static Set<String> ids(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Fails with how many of {@code expected} {@code actual} lacks, and the first 20 (a readable message). */
    private static void assertNoneMissing(String what, Set<String> expected, Set<String> actual) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        assertTrue(missing.isEmpty(), missing.size() + " " + what + ", e.g. " + missing.stream().limit(20).toList());
    }

    private long stored() {
        return StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records");
    }

    private double metric(String name, String... labels) {
        try {
            return bundle.metric(name, labels);
        } catch (Exception e) {
            return -1;
        }
    }
}
