package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.model.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The join's table and its durable wait, with the real broker and store. */
class LateInventoryTest {

    @TempDir
    Path data;
    RunningBundle bundle;
    DataSource store;

    private void start(String maxWait) throws Exception {
        bundle = RunningBundle.start(data, Map.of("generator.enabled", "false", "merge.max-wait", maxWait));
        store = bundle.context().getRegistry().lookupByNameAndType("analyticsStore", AnalyticsStore.class).dataSource();
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

    private double metric(String name) {
        try {
            return bundle.metric(name);
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void customerEventsWaitForInventoryThatArrivesLaterThenMerge() throws Exception {
        start("60s");
        KafkaProbe.send(bundle.brokers(), "customer-data", TestEvents.customers("wait", 300, 30));
        RunningBundle.await("300 events parked", Duration.ofSeconds(30), () -> metric("integration_records_parked") == 300);
        assertEquals(0, stored());

        KafkaProbe.send(bundle.brokers(), "inventory-data", TestEvents.inventory(30, 1));
        RunningBundle.await("300 stored", Duration.ofSeconds(60), () -> stored() == 300);
        RunningBundle.await("nothing parked", Duration.ofSeconds(10), () -> metric("integration_records_parked") == 0);
        assertEquals(0, KafkaProbe.readAll(bundle.brokers(), "integration-dlq").size());
    }

    @Test
    void olderInventoryVersionsAreIgnoredAndCounted() throws Exception {
        start("30s");
        List<Map.Entry<String, byte[]>> updates = new ArrayList<>();
        updates.addAll(TestEvents.inventory(1, 5));
        updates.addAll(TestEvents.inventory(1, 3));
        updates.addAll(TestEvents.inventory(1, 5));
        KafkaProbe.send(bundle.brokers(), "inventory-data", updates);
        RunningBundle.await("2 stale updates counted", Duration.ofSeconds(30),
                () -> metric("integration_inventory_stale_ignored_total") == 2);
        KafkaProbe.send(bundle.brokers(), "customer-data", TestEvents.customers("v", 10, 1));
        RunningBundle.await("10 stored", Duration.ofSeconds(30), () -> stored() == 10);
        assertEquals(10, StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records WHERE inventory_version = 5"));
    }

    @Test
    void aThousandLateArrivalsRacingTheirInventoryAreAllMerged() throws Exception {
        start("120s");
        int products = 200;
        List<Map.Entry<String, byte[]>> events = TestEvents.customers("race", 1000, products);
        List<Map.Entry<String, byte[]>> stock = TestEvents.inventory(products, 1);
        // customer events and their inventory published at the same time, from different threads,
        // in small slices, so arrivals land before, between and after the lookups and the parking
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> sends = new ArrayList<>();
        for (int slice = 0; slice < 10; slice++) {
            List<Map.Entry<String, byte[]>> eventSlice = events.subList(slice * 100, slice * 100 + 100);
            List<Map.Entry<String, byte[]>> stockSlice = stock.subList(slice * 20, slice * 20 + 20);
            sends.add(pool.submit(() -> {
                KafkaProbe.send(bundle.brokers(), "customer-data", eventSlice);
                return null;
            }));
            sends.add(pool.submit(() -> {
                KafkaProbe.send(bundle.brokers(), "inventory-data", stockSlice);
                return null;
            }));
        }
        for (Future<?> f : sends) {
            f.get();
        }
        pool.shutdown();
        RunningBundle.await("all 1000 stored", Duration.ofSeconds(90), () -> stored() == 1000);
        RunningBundle.await("nothing stranded in the parking lot", Duration.ofSeconds(10),
                () -> metric("integration_records_parked") == 0);
        assertEquals(0, KafkaProbe.readAll(bundle.brokers(), "integration-dlq").size());
        // the ids themselves: a count of distinct primary keys could never differ from the row count
        assertEquals(java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "race-" + i)
                .collect(java.util.stream.Collectors.toSet()), StoreProbe.eventIds(store));
        assertEquals(1000, metric("integration_records_merged_total"), "merged once each, in the join or on release");
    }

    @Test
    void newPartitionsAreReadInventoryFirstSoTheirEventsDoNotWait() throws Exception {
        bundle = RunningBundle.start(data, Map.of("generator.enabled", "false", "merge.max-wait", "60s"));
        store = bundle.context().getRegistry().lookupByNameAndType("analyticsStore", AnalyticsStore.class).dataSource();
        bundle.context().getRouteController().stopRoute("kafka-to-merge");
        // a backlog on both topics, the products the events name at the very end of the inventory
        KafkaProbe.send(bundle.brokers(), "customer-data", TestEvents.customers("backlog", 3000, 30));
        List<Map.Entry<String, byte[]>> others = TestEvents.inventory(2000, 1);
        List<Map.Entry<String, byte[]>> stock = new ArrayList<>();
        for (int version = 1; version <= 10; version++) {
            stock.addAll(others.subList(30, 2000));
        }
        stock.addAll(TestEvents.inventory(30, 1));
        KafkaProbe.send(bundle.brokers(), "inventory-data", stock);

        bundle.context().getRouteController().startRoute("kafka-to-merge");
        RunningBundle.await("3000 stored", Duration.ofSeconds(60), () -> stored() == 3000);
        assertTrue(bundle.get(bundle.managementUrl() + "/observe/metrics").body().contains("\nintegration_join_waits_total "),
                "the waits are counted (else the next line could not fail)");
        assertEquals(0, metric("integration_join_waits_total"), "every event found its inventory: read first");
        assertEquals(0, KafkaProbe.readAll(bundle.brokers(), "integration-dlq").size());
    }

    @Test
    void eventsWaitingOnAPartitionThatMovesAwayAreHandedOverToItsNewOwnerNotDeadLettered() throws Exception {
        bundle = RunningBundle.start(data, Map.of("generator.enabled", "false", "merge.max-wait", "20s"));
        KafkaProbe.send(bundle.brokers(), "customer-data", TestEvents.customers("moved", 300, 30));
        RunningBundle.await("300 events parked", Duration.ofSeconds(30), () -> metric("integration_records_parked") == 300);

        // a second member of the merge group takes some partitions (RangeAssignor: the same of both topics)
        try (GroupMember other = new GroupMember(bundle.brokers(), "customer-inventory-merge")) {
            Set<Integer> moved = other.awaitPartitions(Duration.ofSeconds(20));
            // counted once the broker acknowledged the hand-over or the dead letter
            RunningBundle.await("every parked event handed over or expired", Duration.ofSeconds(90),
                    () -> metric("integration_records_handed_over_total")
                            + metric("integration_records_dead_lettered_total") == 300);
            List<ConsumerRecord<String, byte[]>> dlq = KafkaProbe.readAll(bundle.brokers(), "integration-dlq");
            Map<String, Integer> handedOver = new HashMap<>();
            int expectedMoved = 0;
            for (ConsumerRecord<String, byte[]> r : KafkaProbe.readAll(bundle.brokers(), "customer-data")) {
                String eventId = Json.MAPPER.readTree(r.value()).get("eventId").asText();
                if (KafkaProbe.headers(r).containsKey("merge.wait.extensions")) {
                    assertTrue(Integer.parseInt(KafkaProbe.headers(r).get("merge.wait.extensions")) >= 1,
                            "carries the wait it spent");
                    assertTrue(moved.contains(r.partition()), "handed over to a partition the other member owns");
                    handedOver.merge(eventId, 1, Integer::sum);
                } else if (moved.contains(r.partition())) {
                    expectedMoved++;
                }
            }
            assertTrue(expectedMoved > 0 && expectedMoved < 300, "the move split the events: " + expectedMoved);
            assertEquals(expectedMoved, handedOver.size(), "every event of a moved partition handed over");
            assertTrue(handedOver.values().stream().allMatch(n -> n == 1), "each handed over once");
            assertEquals(300 - expectedMoved, dlq.size(), "events of the partitions still here expired as before");
            for (ConsumerRecord<String, byte[]> d : dlq) {
                assertEquals("NO_INVENTORY", KafkaProbe.headers(d).get("dlq.reason"));
                assertFalse(handedOver.containsKey(Json.MAPPER.readTree(d.value()).get("eventId").asText()));
            }
            assertEquals(expectedMoved, metric("integration_records_handed_over_total"));
        }
    }

    /** A plain consumer in the merge group, polling on its own thread so it keeps its partitions. */
    private static final class GroupMember implements AutoCloseable {
        private final ExecutorService thread = Executors.newSingleThreadExecutor();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Set<Integer> partitions = ConcurrentHashMap.newKeySet();

        GroupMember(String brokers, String groupId) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
            thread.submit(() -> {
                try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props,
                        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of("customer-data", "inventory-data"));
                    while (running.get()) {
                        consumer.poll(Duration.ofMillis(100));
                        consumer.assignment().forEach(tp -> partitions.add(tp.partition()));
                    }
                }
                return null;
            });
        }

        Set<Integer> awaitPartitions(Duration timeout) throws InterruptedException {
            RunningBundle.await("the other member has partitions", timeout, () -> !partitions.isEmpty());
            return Set.copyOf(partitions);
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            thread.shutdown();
            thread.awaitTermination(30, TimeUnit.SECONDS);
        }
    }
}
