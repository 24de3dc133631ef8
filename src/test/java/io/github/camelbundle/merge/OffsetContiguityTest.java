package io.github.camelbundle.merge;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.kafka.EmbeddedKafkaBroker;
import io.github.camelbundle.kafka.MeteredKafkaClientFactory;
import io.github.camelbundle.kafka.PollPositions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard against committing past a failed batch, against a real broker and the group's real
 * committed offsets: a batch must start where the last commit of each of its customer partitions ends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OffsetContiguityTest {

    private static final String TOPIC = "customer-data";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private EmbeddedKafkaBroker broker;
    private KafkaConsumer<String, String> consumer;
    private final OffsetCommitter committer = new OffsetCommitter(TOPIC, Duration.ofSeconds(10), Duration.ofMillis(100));

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        broker = new EmbeddedKafkaBroker(dir, 0).start();
        Map<String, Object> common = Map.of("bootstrap.servers", broker.bootstrapServers());
        try (Admin admin = Admin.create(common)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1), new NewTopic("inventory-data", 2, (short) 1)))
                    .all().get();
        }
        Properties p = new Properties();
        p.putAll(common);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % 2, "k", "v" + i));
            }
        }
        Properties c = new Properties();
        c.putAll(common);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "contiguity");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
    }

    @AfterAll
    void stop() {
        consumer.close();
        broker.close();
    }

    private static MergeBatch batch(TopicPartition tp, long from, long to) {
        MergeBatch batch = new MergeBatch();
        for (long o = from; o <= to; o++) {
            batch.read(tp.topic(), tp.partition(), o);
        }
        return batch;
    }

    @Test
    void aBatchMustStartWhereTheLastCommitEnds() {
        // nothing committed yet: the first batch starts at the log start, a later one is refused
        assertDoesNotThrow(() -> committer.requireContiguous(consumer, batch(P0, 0, 4)));
        StaleBatchException stale = assertThrows(StaleBatchException.class,
                () -> committer.requireContiguous(consumer, batch(P0, 5, 9)));
        assertTrue(stale.getMessage().contains("offset 5 of customer-data-0"), stale.getMessage());

        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(5), P1, new OffsetAndMetadata(3)));
        assertDoesNotThrow(() -> committer.requireContiguous(consumer, batch(P0, 5, 9)));
        // a batch read again from before the commit (the store drops what it had) is fine
        assertDoesNotThrow(() -> committer.requireContiguous(consumer, batch(P0, 2, 9)));
        // a batch polled behind a failed one on either partition is refused
        assertThrows(StaleBatchException.class, () -> committer.requireContiguous(consumer, batch(P1, 7, 9)));
        MergeBatch both = batch(P0, 5, 6);
        both.read(P1.topic(), P1.partition(), 4);
        assertThrows(StaleBatchException.class, () -> committer.requireContiguous(consumer, both));
        // inventory partitions are never committed and never checked
        assertDoesNotThrow(() -> committer.requireContiguous(consumer, batch(new TopicPartition("inventory-data", 0), 9, 12)));
    }

    /**
     * Issue 18: commit markers and aborted transactions leave offset gaps in a read_committed consumer's
     * polls. Read through the bundle's consumer (which reports where each poll read from), every poll
     * is contiguous with the last commit and the commit ends at the log end; a poll behind one that was
     * handed over but not committed is still refused, and read again after the rewind.
     */
    @Test
    void transactionGapsAreNotMissingBatchesButRecordsHandedOverEarlierAre() throws Exception {
        String topic = "tx-customers";
        TopicPartition tp = new TopicPartition(topic, 0);
        OffsetCommitter txCommitter = new OffsetCommitter(topic, Duration.ofSeconds(10), Duration.ofMillis(100));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        transactions(topic, 5);
        Properties c = new Properties();
        c.put("bootstrap.servers", broker.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "tx-contiguity");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "4");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        @SuppressWarnings("unchecked")
        Consumer<String, String> reporting = new MeteredKafkaClientFactory(new SimpleMeterRegistry(), "inventory-data")
                .getConsumer(c);
        try (reporting) {
            reporting.subscribe(List.of(topic));
            int read = 0;
            int gaps = 0;
            long committedBefore = 0;
            while (read < 15) {
                MergeBatch batch = poll(reporting, topic);
                if (batch == null) {
                    continue;
                }
                read += batch.recordCount();
                gaps += batch.firstOffsets().get(tp) > committedBefore ? 1 : 0;
                assertDoesNotThrow(() -> txCommitter.requireContiguous(reporting, batch));
                txCommitter.commit(reporting, batch);
                committedBefore = reporting.committed(java.util.Set.of(tp)).get(tp).offset();
            }
            assertTrue(gaps > 0, "some polls started after a marker or aborted records");
            long end = reporting.endOffsets(List.of(tp)).get(tp);
            assertEquals(end, committedBefore, "the commit steps over the last marker: no lag left");

            // a poll handed over and never committed (its batch failed before the rewind): the next is refused
            transactions(topic, 2);
            MergeBatch handedOver = awaitBatch(reporting, topic);
            MergeBatch behind = awaitBatch(reporting, topic);
            assertThrows(StaleBatchException.class, () -> txCommitter.requireContiguous(reporting, behind));
            txCommitter.rewind(reporting, behind);
            MergeBatch again = awaitBatch(reporting, topic);
            assertEquals(handedOver.firstOffsets(), again.firstOffsets(), "read again from the commit");
            assertDoesNotThrow(() -> txCommitter.requireContiguous(reporting, again));
        }
    }

    /** Per transaction: 3 committed records, then 2 aborted (markers after each). */
    private void transactions(String topic, int count) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "contiguity-" + topic);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            for (int t = 0; t < count; t++) {
                producer.beginTransaction();
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>(topic, 0, "k", "committed"));
                }
                producer.commitTransaction();
                producer.beginTransaction();
                for (int i = 0; i < 2; i++) {
                    producer.send(new ProducerRecord<>(topic, 0, "k", "aborted"));
                }
                producer.flush();
                producer.abortTransaction();
            }
        }
    }

    private static MergeBatch awaitBatch(Consumer<String, String> consumer, String topic) {
        for (int i = 0; i < 100; i++) {
            MergeBatch batch = poll(consumer, topic);
            if (batch != null) {
                return batch;
            }
        }
        throw new AssertionError("no records polled");
    }

    /** One poll as the merge sees it: its records' offsets and the consumer's spans; null when empty. */
    private static MergeBatch poll(Consumer<String, String> consumer, String topic) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) {
            return null;
        }
        MergeBatch batch = new MergeBatch();
        for (ConsumerRecord<String, String> r : records) {
            assertEquals("committed", r.value(), "read_committed never returns aborted records");
            batch.read(topic, r.partition(), r.offset());
        }
        batch.spans(((PollPositions) consumer).lastPoll());
        return batch;
    }
}
