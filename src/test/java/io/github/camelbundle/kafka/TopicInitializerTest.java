package io.github.camelbundle.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.kafka.TopicInitializer.TopicSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: the inventory topic is a table. Created compacted (a product not updated within a day stays
 * known after a restart); an existing topic whose cleanup policy or partition count differs is reported
 * with the command that fixes it, and left as it is.
 */
class TopicInitializerTest {

    @TempDir
    Path dir;

    @Test
    void theInventoryTopicIsCreatedCompactedAndMismatchesOfExistingTopicsAreReported() throws Exception {
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, 0).start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            String brokers = broker.bootstrapServers();
            List<TopicSpec> specs = List.of(new TopicSpec("customers", 3, Duration.ofHours(24)),
                    new TopicSpec("inventory", 3, Duration.ofHours(24), true));
            assertEquals(List.of(), TopicInitializer.ensure(KafkaConnection.plaintext(brokers), specs, Duration.ofSeconds(30)));
            assertEquals("compact", config(admin, "inventory", "cleanup.policy"));
            assertEquals("delete", config(admin, "customers", "cleanup.policy"));
            assertEquals("86400000", config(admin, "customers", "retention.ms"));
            assertEquals(List.of(), TopicInitializer.ensure(KafkaConnection.plaintext(brokers), specs, Duration.ofSeconds(30)), "a second start: all as specified");

            // made by hand before the contract said so: delete policy, too few partitions
            admin.createTopics(List.of(new NewTopic("old-inventory", 2, (short) 1))).all().get();
            List<String> reported = TopicInitializer.ensure(KafkaConnection.plaintext(brokers),
                    List.of(new TopicSpec("old-inventory", 3, Duration.ofHours(24), true)), Duration.ofSeconds(30));
            assertEquals(2, reported.size(), reported.toString());
            assertTrue(reported.get(0).contains("cleanup.policy=delete, expected compact"), reported.get(0));
            assertTrue(reported.get(0).contains("kafka-configs.sh --bootstrap-server " + brokers + " --alter --entity-type topics "
                    + "--entity-name old-inventory --add-config cleanup.policy=compact"), reported.get(0));
            assertTrue(reported.get(1).contains("has 2 partitions, expected 3"), reported.get(1));
            assertTrue(reported.get(1).contains("kafka-topics.sh --bootstrap-server " + brokers + " --alter --topic old-inventory "
                    + "--partitions 3"), reported.get(1));
            assertEquals("delete", config(admin, "old-inventory", "cleanup.policy"), "reported, not changed");
        }
    }

    /** A topic's config; a topic created a moment ago may not be in the metadata yet: asked again, briefly. */
    private static String config(Admin admin, String topic, String key) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        for (int attempt = 1; ; attempt++) {
            try {
                return admin.describeConfigs(List.of(resource)).all().get().get(resource).get(key).value();
            } catch (java.util.concurrent.ExecutionException e) {
                if (attempt >= 20 || !(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }
}
