package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.FreePorts;
import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.Region;
import io.github.camelbundle.model.Tier;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, the silent stall: each kind of unusual record, mixed into valid traffic on every partition,
 * against a broker in its own process. Every valid event is stored, each bad record is dead-lettered
 * with its reason, records of aborted transactions are neither, and no poll is read again more than a
 * few times (the merge counts every poll it reads again).
 */
class UnusualRecordsTest {

    private static final String CUSTOMERS = "customer-data";
    private static final String INVENTORY = "inventory-data";
    private static final int PARTITIONS = 3;
    private static final int PRODUCTS = 12;
    private static final int HUGE_BYTES = 3 * 1024 * 1024;
    private static final int DLQ_MAX_PAYLOAD = 100_000;

    @TempDir
    Path data;

    private final Set<String> valid = new HashSet<>();
    private final Map<String, String> expectedReasons = new HashMap<>();
    private final Set<String> aborted = new HashSet<>();
    private int sequence;

    @Test
    void everyValidEventIsStoredAndEveryUnusualRecordIsDeadLetteredWithoutStalling() throws Exception {
        int kafkaPort = FreePorts.next();
        String brokers = "127.0.0.1:" + kafkaPort;
        try (JavaProcess broker = JavaProcess.start(data.resolve("broker.log"), "BROKER READY", List.of(), "broker",
                "--port=" + kafkaPort, "--data-dir=" + data.resolve("kafka"))) {
            broker.awaitReady(Duration.ofSeconds(90));
            try (RunningBundle bundle = RunningBundle.start(data, Map.of("kafka.embedded.enabled", "false",
                    "kafka.brokers", brokers, "generator.enabled", "false", "merge.max-wait", "60s",
                    "dlq.max-payload-bytes", Integer.toString(DLQ_MAX_PAYLOAD)))) {
                publish(brokers);
                DataSource store = bundle.context().getRegistry().lookupByNameAndType("analyticsStore", AnalyticsStore.class)
                        .dataSource();
                RunningBundle.await(valid.size() + " stored and " + expectedReasons.size() + " dead letters",
                        Duration.ofSeconds(120), () -> {
                            try {
                                return StoreProbe.eventIds(store).containsAll(valid)
                                        && KafkaProbe.readAll(brokers, "integration-dlq").size() >= expectedReasons.size();
                            } catch (RuntimeException notYet) {
                                return false;
                            }
                        });

                Set<String> stored = StoreProbe.eventIds(store);
                assertEquals(valid, stored, "exactly the valid committed events are stored (no aborted one)");
                Map<String, String> reasons = new HashMap<>();
                for (ConsumerRecord<String, byte[]> letter : KafkaProbe.readAll(brokers, "integration-dlq")) {
                    Map<String, String> h = KafkaProbe.headers(letter);
                    reasons.put(letter.key(), h.get("dlq.reason") + " " + h.get("dlq.error.message"));
                    if (letter.key().startsWith("huge")) {
                        assertHugeLetterCut(letter, h);
                    }
                    assertTrue(letter.serializedValueSize() <= DLQ_MAX_PAYLOAD, "cut to dlq.max-payload-bytes: " + h);
                }
                assertEquals(expectedReasons.keySet(), reasons.keySet(), "dead letters: " + reasons);
                expectedReasons.forEach((key, reason) -> assertTrue(reasons.get(key).startsWith(reason),
                        key + ": expected " + reason + ", was " + reasons.get(key)));
                assertTrue(bundle.metric("integration_merge_poll_failures_total") <= 3,
                        "polls read again: " + bundle.metric("integration_merge_poll_failures_total"));
                assertEquals(0, bundle.metric("integration_merge_stalled_seconds"));
            }
        }
    }

    /** The 3 MiB record (a small lz4 batch on the wire) is dead-lettered cut, with its size and digest. */
    private static void assertHugeLetterCut(ConsumerRecord<String, byte[]> letter, Map<String, String> h) throws Exception {
        assertEquals("OVERSIZED", h.get("dlq.reason"));
        assertEquals(DLQ_MAX_PAYLOAD, letter.value().length);
        assertEquals(Integer.toString(HUGE_BYTES), h.get("dlq.original.size"));
        byte[] original = huge();
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(original)), h.get("dlq.original.sha256"));
        assertEquals(new String(original, 0, DLQ_MAX_PAYLOAD, StandardCharsets.UTF_8),
                new String(letter.value(), StandardCharsets.UTF_8));
    }

    private void publish(String brokers) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // the huge record passes as a small lz4 batch: the broker checks the compressed size
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(2 * HUGE_BYTES));
        Properties tx = new Properties();
        tx.putAll(p);
        tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "unusual-records-test");
        try (KafkaProducer<String, byte[]> plain = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
             KafkaProducer<String, byte[]> transactional = new KafkaProducer<>(tx, new StringSerializer(), new ByteArraySerializer())) {
            transactional.initTransactions();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                for (int product = 0; product < PRODUCTS; product++) {
                    plain.send(new ProducerRecord<>(INVENTORY, partition, "P" + product, inventory("P" + product, 1L, "4.25")));
                }
            }
            for (int partition = 0; partition < PARTITIONS; partition++) {
                int part = partition;
                Sender send = (key, value, reason) -> {
                    plain.send(new ProducerRecord<>(CUSTOMERS, part, key, value));
                    if (reason != null) {
                        expectedReasons.put(key, reason);
                    }
                };
                validEvents(send, 20);
                // over-long fields: the productId is also part of the parking key (an unknown product waits)
                send.to("long-product-" + part, customer(event("x".repeat(300), "C1", "Ada", "a@example.com")), "SCHEMA_VIOLATION");
                validEvents(send, 10);
                send.to("long-customer-" + part, customer(event("P1", "C".repeat(300), "Ada", "a@example.com")), "SCHEMA_VIOLATION");
                send.to("long-name-" + part, customer(event("P1", "C1", "N".repeat(300), "a@example.com")), "SCHEMA_VIOLATION");
                send.to("long-email-" + part, customer(event("P1", "C1", "Ada", "e".repeat(300) + "@example.com")), "SCHEMA_VIOLATION");
                validEvents(send, 10);
                // far over the DLQ producer's 1 MiB request size once decompressed
                send.to("huge-" + part, huge(), "OVERSIZED");
                validEvents(send, 10);
                // not JSON, invalid UTF-8, and a tombstone
                send.to("binary-" + part, new byte[] {0, (byte) 0xC3, (byte) 0x28, (byte) 0xFF, 7}, "INVALID_JSON");
                send.to("bad-utf8-" + part, "{\"eventId\":\"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1), "INVALID_JSON");
                send.to("tombstone-" + part, null, "INVALID_JSON");
                validEvents(send, 10);
                // odd headers on valid events: they are stored all the same
                for (int i = 0; i < 3; i++) {
                    String id = "odd-headers-" + part + "-" + i;
                    ProducerRecord<String, byte[]> r = new ProducerRecord<>(CUSTOMERS, part, "P1", customer(validEvent(id)));
                    r.headers().add(new RecordHeader("dlq.replay.count", "99999999999999".getBytes(StandardCharsets.UTF_8)));
                    r.headers().add(new RecordHeader("merge.wait.extensions", new byte[] {(byte) 0xFF, 0}));
                    r.headers().add(new RecordHeader("empty", new byte[0]));
                    r.headers().add(new RecordHeader("null-value", null));
                    r.headers().add(new RecordHeader("x".repeat(1000), "y".repeat(10_000).getBytes(StandardCharsets.UTF_8)));
                    plain.send(r);
                    valid.add(id);
                }
                plain.flush();
                // transactions: commit markers and aborted records leave gaps in the partition's offsets
                for (int t = 0; t < 3; t++) {
                    transactional.beginTransaction();
                    for (int i = 0; i < 5; i++) {
                        String id = "tx-committed-" + part + "-" + t + "-" + i;
                        transactional.send(new ProducerRecord<>(CUSTOMERS, part, "P2", customer(validEvent(id))));
                        valid.add(id);
                    }
                    transactional.commitTransaction();
                    transactional.beginTransaction();
                    for (int i = 0; i < 5; i++) {
                        String id = "tx-aborted-" + part + "-" + t + "-" + i;
                        transactional.send(new ProducerRecord<>(CUSTOMERS, part, "P2", customer(validEvent(id))));
                        aborted.add(id);
                    }
                    transactional.flush();
                    transactional.abortTransaction();
                }
                validEvents(send, 10);
                // inventory that must not enter the table: over-long id, a version that would freeze the
                // product forever, a price finer than the store keeps
                plain.send(new ProducerRecord<>(INVENTORY, part, "inv-long-" + part, inventory("y".repeat(300), 2L, "4.25")));
                expectedReasons.put("inv-long-" + part, "SCHEMA_VIOLATION");
                plain.send(new ProducerRecord<>(INVENTORY, part, "inv-version-" + part, inventory("P3", Long.MAX_VALUE, "4.25")));
                expectedReasons.put("inv-version-" + part, "SCHEMA_VIOLATION");
                plain.send(new ProducerRecord<>(INVENTORY, part, "inv-price-" + part,
                        inventory("P4", 2L, "1.00000000000000000000001")));
                expectedReasons.put("inv-price-" + part, "SCHEMA_VIOLATION");
                validEvents(send, 10);
            }
            plain.flush();
        }
    }

    private interface Sender {
        void to(String key, byte[] value, String reason) throws Exception;
    }

    private void validEvents(Sender send, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            String id = "ok-" + sequence++;
            send.to("P" + sequence % PRODUCTS, customer(validEvent(id)), null);
            valid.add(id);
        }
    }

    private CustomerEvent validEvent(String id) {
        return new CustomerEvent(id, "C" + sequence % 50, "Ada Lovelace", "ada@example.com", Tier.GOLD, Region.EU,
                "P" + sequence % PRODUCTS, 1 + sequence % 5, Instant.now(), Map.of());
    }

    private CustomerEvent event(String productId, String customerId, String name, String email) {
        return new CustomerEvent("bad-" + sequence++, customerId, name, email, Tier.GOLD, Region.EU, productId, 1,
                Instant.now(), Map.of());
    }

    private static byte[] customer(CustomerEvent e) throws Exception {
        return Json.MAPPER.writeValueAsBytes(e);
    }

    private static byte[] inventory(String productId, long version, String price) throws Exception {
        return Json.MAPPER.writeValueAsBytes(new InventoryRecord(productId, "SKU-1", "Kettle", "Kitchen", new BigDecimal(price),
                "EUR", 100, "WH-1", version, Instant.now(), Map.of()));
    }

    /** A valid customer event padded to HUGE_BYTES with an extra field (kept by the contract). */
    private static byte[] huge() {
        String head = "{\"eventId\":\"huge\",\"customerId\":\"C1\",\"name\":\"Ada\",\"email\":\"a@example.com\",\"tier\":\"GOLD\","
                + "\"region\":\"EU\",\"productId\":\"P1\",\"quantity\":1,\"eventTime\":\"2026-01-01T00:00:00Z\",\"pad\":\"";
        String tail = "\"}";
        return (head + "z".repeat(HUGE_BYTES - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }
}
