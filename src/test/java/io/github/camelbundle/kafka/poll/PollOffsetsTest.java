package io.github.camelbundle.kafka.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.FreePorts;
import io.github.camelbundle.kafka.EmbeddedKafkaBroker;
import io.github.camelbundle.kafka.MeteredKafkaClientFactory;
import io.github.camelbundle.kafka.PollPositions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commits and rewinds of the merge's consumer against a real broker and the group's real committed
 * offsets: transaction markers and aborted records leave gaps the commit steps over (no lag left), a failed
 * poll is read again from the commit, the table topic is never committed, and a rewind the broker does not
 * answer is tried again until it is back.
 */
class PollOffsetsTest {

    @TempDir
    Path dir;

    @Test
    void commitsStepOverTransactionGapsAndAFailedPollIsReadAgainFromTheCommit() throws Exception {
        String topic = "tx-customers";
        TopicPartition tp = new TopicPartition(topic, 0);
        TopicPartition table = new TopicPartition("inventory-data", 0);
        PollOffsets offsets = new PollOffsets("inventory-data", Duration.ofSeconds(10), Duration.ofMillis(100));
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, 0).start()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1), new NewTopic("inventory-data", 1, (short) 1)))
                        .all().get();
            }
            transactions(broker, topic, 5);
            send(broker, "inventory-data", 4);
            @SuppressWarnings("unchecked")
            Consumer<String, byte[]> consumer = new MeteredKafkaClientFactory(new SimpleMeterRegistry(), "inventory-data")
                    .getConsumer(consumerProps(broker));
            try (consumer) {
                consumer.subscribe(List.of(topic, "inventory-data"));
                int read = 0;
                while (read < 15) {
                    Poll poll = poll(consumer);
                    if (poll != null) {
                        read += (int) poll.records().stream().filter(r -> r.topic().equals(topic)).count();
                        offsets.commit(consumer, poll);
                    }
                }
                long end = consumer.endOffsets(List.of(tp)).get(tp);
                assertEquals(end, committed(consumer, tp), "the commit steps over the last marker: no lag left");
                assertNull(consumer.committed(Set.of(table)).get(table), "the table topic is never committed");

                // a poll that failed: read again from the commit
                transactions(broker, topic, 2);
                Poll failed = awaitPoll(consumer);
                offsets.rewind(consumer, failed, () -> true);
                Poll again = awaitPoll(consumer);
                assertEquals(failed.firstOffsets(), again.firstOffsets(), "read again from the commit");
                assertEquals(end, again.firstOffsets().get(tp));
                offsets.commit(consumer, again);
                while (poll(consumer) != null) {
                    // the rest of those transactions
                }

                // the table topic is never committed: a failed poll of it is read again from its own first offset
                send(broker, "inventory-data", 2);
                Poll tableFailed = awaitPoll(consumer);
                assertEquals(Set.of(table), tableFailed.firstOffsets().keySet());
                offsets.rewind(consumer, tableFailed, () -> true);
                assertEquals(tableFailed.firstOffsets(), awaitPoll(consumer).firstOffsets());
            }
        }
    }

    @Test
    void aRewindTheBrokerDoesNotAnswerIsTriedAgainUntilItIsBackOrTheConsumerStops() throws Exception {
        String topic = "customer-data";
        TopicPartition p0 = new TopicPartition(topic, 0);
        int port = FreePorts.next();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, port).start();
        try {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
            send(broker, topic, 10);
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps(broker))) {
                consumer.assign(List.of(p0));
                consumer.commitSync(Map.of(p0, new OffsetAndMetadata(3)));
                // the failed poll was offsets 3..7: the consumer's position is past it
                consumer.seek(p0, 8);
                List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
                for (long o = 3; o <= 7; o++) {
                    records.add(new ConsumerRecord<>(topic, 0, o, "k", new byte[0]));
                }
                Poll failed = new Poll(records, null);
                PollOffsets offsets = new PollOffsets("inventory-data", Duration.ofMillis(500), Duration.ofMillis(100));
                broker.close();

                AtomicReference<Throwable> failure = new AtomicReference<>();
                AtomicBoolean running = new AtomicBoolean(true);
                Thread rewind = rewindInBackground(offsets, consumer, failed, running, failure);
                // several committed-offset timeouts pass: the rewind is still trying, not given up
                rewind.join(4_000);
                assertNull(failure.get(), () -> "the rewind gave up: " + failure.get());
                assertTrue(rewind.isAlive(), "the rewind keeps trying while the broker is away");

                broker = new EmbeddedKafkaBroker(dir, port).start();
                rewind.join(90_000);
                assertFalse(rewind.isAlive(), "the rewind ends once the broker answers");
                assertNull(failure.get(), () -> "the rewind failed: " + failure.get());
                assertEquals(3, consumer.position(p0), "the failed poll is read again from the committed offset");

                // broker away again: a rewind that keeps trying ends when the consumer stops
                broker.close();
                consumer.seek(p0, 8);
                Thread stopped = rewindInBackground(offsets, consumer, failed, running, failure);
                stopped.join(2_000);
                assertTrue(stopped.isAlive(), "the rewind keeps trying while the broker is away");
                running.set(false);
                stopped.join(30_000);
                assertFalse(stopped.isAlive(), "a stopping consumer ends the rewind");
                assertNull(failure.get(), () -> "stopping is no failure: " + failure.get());
            }
        } finally {
            broker.close();
        }
    }

    private static Thread rewindInBackground(PollOffsets offsets, Consumer<?, ?> consumer, Poll failed, AtomicBoolean running,
                                             AtomicReference<Throwable> failure) {
        Thread rewind = new Thread(() -> {
            try {
                offsets.rewind(consumer, failed, running::get);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "rewind");
        rewind.setDaemon(true);
        rewind.start();
        return rewind;
    }

    private static Properties consumerProps(EmbeddedKafkaBroker broker) {
        Properties c = new Properties();
        c.put("bootstrap.servers", broker.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "poll-offsets");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "4");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return c;
    }

    private static long committed(Consumer<?, ?> consumer, TopicPartition tp) {
        return consumer.committed(Set.of(tp)).get(tp).offset();
    }

    private static void send(EmbeddedKafkaBroker broker, String topic, int count) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "v" + i));
            }
        }
    }

    /** Per transaction: 3 committed records, then 2 aborted (markers after each). */
    private static void transactions(EmbeddedKafkaBroker broker, String topic, int count) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "offsets-" + topic);
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

    private static Poll awaitPoll(Consumer<String, byte[]> consumer) {
        for (int i = 0; i < 100; i++) {
            Poll poll = poll(consumer);
            if (poll != null) {
                return poll;
            }
        }
        throw new AssertionError("no records polled");
    }

    /** One poll as the merge's consumer hands it over; null when empty. */
    private static Poll poll(Consumer<String, byte[]> consumer) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) {
            return null;
        }
        List<ConsumerRecord<String, byte[]>> list = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            if (r.topic().startsWith("tx-")) {
                assertEquals("committed", new String(r.value(), StandardCharsets.UTF_8), "read_committed never returns aborted records");
            }
            list.add(r);
        }
        return new Poll(list, ((PollPositions) consumer).lastPoll());
    }
}
