package io.github.camelbundle.merge;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.kafka.EmbeddedKafkaBroker;
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
}
