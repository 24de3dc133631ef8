package io.github.camelbundle.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.FreePorts;
import io.github.camelbundle.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rewind after a failed batch while the broker is away (a real broker, stopped and started again on
 * the same port and data): the rewind keeps trying instead of failing after one committed-offset
 * timeout, and once the broker is back the consumer is at the committed offset, so the batch is read
 * again; and a rewind still trying ends when the consumer is woken (the route stopping). Before, the
 * first timeout ended the rewind and left the consumer past the uncommitted batch.
 */
class RewindRetryTest {

    private static final String TOPIC = "customer-data";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

    @TempDir
    Path dir;

    @Test
    void aRewindTheBrokerDoesNotAnswerIsTriedAgainUntilItIsBack() throws Exception {
        int port = FreePorts.next();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, port).start();
        Map<String, Object> common = Map.of("bootstrap.servers", broker.bootstrapServers());
        try (Admin admin = Admin.create(common)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        }
        Properties p = new Properties();
        p.putAll(common);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "k", "v" + i));
            }
        }
        Properties c = new Properties();
        c.putAll(common);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "rewind");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(P0));
            consumer.commitSync(Map.of(P0, new OffsetAndMetadata(3)));
            // the failed batch was offsets 3..7: the consumer's position is past it
            consumer.seek(P0, 8);
            MergeBatch failed = new MergeBatch();
            for (long o = 3; o <= 7; o++) {
                failed.read(TOPIC, 0, o);
            }
            broker.close();

            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> rewinds = new ArrayList<>();
            Thread rewind = rewindInBackground(consumer, failed, failure, rewinds);
            try {
                // several committed-offset timeouts pass: the rewind is still trying, not given up
                rewind.join(4_000);
                assertNull(failure.get(), () -> "the rewind gave up: " + failure.get());
                assertTrue(rewind.isAlive(), "the rewind keeps trying while the broker is away");

                broker = new EmbeddedKafkaBroker(dir, port).start();
                rewind.join(90_000);
                assertFalse(rewind.isAlive(), "the rewind ends once the broker answers");
                assertNull(failure.get(), () -> "the rewind failed: " + failure.get());
                assertEquals(3, consumer.position(P0), "the failed batch is read again from the committed offset");

                // broker away again: a rewind that keeps trying still ends when the consumer is stopped (woken up)
                broker.close();
                consumer.seek(P0, 8);
                failure.set(null);
                Thread stopped = rewindInBackground(consumer, failed, failure, rewinds);
                stopped.join(2_000);
                assertTrue(stopped.isAlive(), "the rewind keeps trying while the broker is away");
                consumer.wakeup();
                stopped.join(30_000);
                assertFalse(stopped.isAlive(), "a woken consumer ends the rewind");
                assertInstanceOf(WakeupException.class, failure.get(), "the wakeup goes up to the route");
            } finally {
                // never leave a rewind running on the consumer the try-with-resources is about to close
                for (Thread t : rewinds) {
                    if (t.isAlive()) {
                        consumer.wakeup();
                        t.join(30_000);
                    }
                }
            }
        } finally {
            broker.close();
        }
    }

    private static Thread rewindInBackground(KafkaConsumer<String, String> consumer, MergeBatch failed,
                                             AtomicReference<Throwable> failure, List<Thread> started) {
        OffsetCommitter committer = new OffsetCommitter(TOPIC, Duration.ofMillis(500), Duration.ofMillis(100));
        Thread rewind = new Thread(() -> {
            try {
                committer.rewind(consumer, failed);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "rewind");
        rewind.setDaemon(true);
        rewind.start();
        started.add(rewind);
        return rewind;
    }
}
