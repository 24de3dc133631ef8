package io.github.camelbundle.merge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.kafka.EmbeddedKafkaBroker;
import io.github.camelbundle.kafka.KafkaObserver;
import io.github.camelbundle.kafka.MeteredKafkaClientFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A waiting event may conclude that its inventory never came only when the table holds every
 * inventory record the broker has now, not merely what the last poll saw as the end (real broker).
 */
class InventoryReadToItsEndTest {

    private static final String INVENTORY = "inventory-data";
    private static final TopicPartition P0 = new TopicPartition(INVENTORY, 0);
    private static final TopicPartition P1 = new TopicPartition(INVENTORY, 1);
    private static final String GROUP = "read-to-end";

    @Test
    void anEventMayExpireOnlyOnceTheTableHoldsWhatTheBrokerHadWhenItsWaitEnded(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, 0).start();
             KafkaObserver observer = new KafkaObserver(io.github.camelbundle.kafka.KafkaConnection.plaintext(broker.bootstrapServers()), "integration-dlq", "customer-data", GROUP)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(INVENTORY, 2, (short) 1))).all().get();
                // partition 1 had records once; retention deleted them all: nothing there to take in
                send(broker, P1, 3);
                admin.deleteRecords(Map.of(P1, RecordsToDelete.beforeOffset(3))).all().get();
            }
            MeteredKafkaClientFactory clients = new MeteredKafkaClientFactory(new SimpleMeterRegistry(), INVENTORY);
            InventoryTable table = new InventoryTable();
            AtomicBoolean consuming = new AtomicBoolean(true);
            InventoryReadToItsEnd readToItsEnd = new InventoryReadToItsEnd(consuming::get, clients, observer, table,
                    GROUP, INVENTORY, Duration.ofMillis(300));
            send(broker, P0, 5);
            try (Consumer<String, String> consumer = consumer(clients, broker)) {
                consumer.subscribe(List.of(INVENTORY), new ConsumerRebalanceListener() {
                    public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
                    }

                    public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
                    }
                });
                pollUntil(consumer, 5);
                assertTrue(clients.caughtUp(GROUP, INVENTORY), "the poll read the topic to its end");
                assertFalse(readToItsEnd.getAsBoolean(), "fetched, but the join has not taken it in");

                table.tookIn(Map.of(P0, 4L));
                assertTrue(readToItsEnd.getAsBoolean(), "the table holds every inventory record there is");

                send(broker, P0, 2);
                assertTrue(clients.caughtUp(GROUP, INVENTORY), "the last poll still says: read to the end");
                assertFalse(readToItsEnd.getAsBoolean(), "two inventory records arrived that no poll has read");

                // the join takes them in while the decision waits for it
                pollUntil(consumer, 2);
                Thread joinCatchingUp = new Thread(() -> {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                    table.tookIn(Map.of(P0, 6L));
                });
                joinCatchingUp.start();
                assertTrue(readToItsEnd.getAsBoolean(), "taken in within the patience");
                joinCatchingUp.join();

                consuming.set(false);
                assertFalse(readToItsEnd.getAsBoolean(), "a suspended merge could not have seen the inventory");
                consuming.set(true);

                // records of a transaction still open are not readable (read_committed): nothing to wait for
                Properties p = new Properties();
                p.put("bootstrap.servers", broker.bootstrapServers());
                p.put("transactional.id", "inventory-in-a-transaction");
                try (KafkaProducer<String, String> tx = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                    tx.initTransactions();
                    tx.beginTransaction();
                    tx.send(new ProducerRecord<>(INVENTORY, 0, "P-open", "{}")).get();
                    assertTrue(readToItsEnd.getAsBoolean(), "up to the last stable offset, not the high watermark");
                    tx.abortTransaction();
                }
            }
        }
    }

    private static void send(EmbeddedKafkaBroker broker, TopicPartition partition, int records) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(INVENTORY, partition.partition(), "P" + i, "{}")).get();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Consumer<String, String> consumer(MeteredKafkaClientFactory clients, EmbeddedKafkaBroker broker) {
        Properties c = new Properties();
        c.put("bootstrap.servers", broker.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return (Consumer<String, String>) clients.getConsumer(c);
    }

    private static void pollUntil(Consumer<String, String> consumer, int records) {
        int seen = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (seen < records && System.nanoTime() < deadline) {
            ConsumerRecords<String, String> polled = consumer.poll(Duration.ofMillis(200));
            seen += polled.count();
        }
        assertTrue(seen >= records, "polled " + seen + " of " + records);
        consumer.poll(Duration.ofMillis(100));
    }
}
