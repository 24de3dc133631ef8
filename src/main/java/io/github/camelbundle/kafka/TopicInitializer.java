package io.github.camelbundle.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the bundle's topics at start-up when they are missing, with the contract's partitions and
 * retention (the bundle never relies on broker auto-creation), and checks that the two input topics
 * are co-partitioned, which the join depends on.
 */
public final class TopicInitializer {

    private static final Logger LOG = LoggerFactory.getLogger(TopicInitializer.class);

    /** A topic to make: name, partitions and retention. */
    public record TopicSpec(String name, int partitions, Duration retention) {
    }

    private TopicInitializer() {
    }

    public static void ensure(KafkaConnection kafka, List<TopicSpec> topics, Duration timeout) throws Exception {
        Properties props = kafka.properties();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec spec : topics) {
                if (!existing.contains(spec.name())) {
                    missing.add(new NewTopic(spec.name(), Optional.of(spec.partitions()), Optional.empty())
                            .configs(Map.of("retention.ms", Long.toString(spec.retention().toMillis()))));
                }
            }
            for (NewTopic topic : missing) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                    LOG.info("Created topic {} ({} partitions, retention {} ms)", topic.name(),
                            topic.numPartitions(), topic.configs().get("retention.ms"));
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    /** Fails start-up when the two join inputs differ in partition count: the join would silently miss. */
    public static void checkCoPartitioned(KafkaConnection kafka, String first, String second) throws Exception {
        Properties props = kafka.properties();
        try (Admin admin = Admin.create(props)) {
            Map<String, TopicDescription> described = null;
            // topics created a moment ago may not be in the metadata yet: ask again, briefly
            for (int attempt = 1; described == null; attempt++) {
                try {
                    described = admin.describeTopics(List.of(first, second)).allTopicNames().get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (attempt >= 20 || !(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                        throw e;
                    }
                    Thread.sleep(250);
                }
            }
            int a = described.get(first).partitions().size();
            int b = described.get(second).partitions().size();
            if (a != b) {
                throw new IllegalStateException("topics " + first + " (" + a + " partitions) and " + second + " (" + b
                        + " partitions) must have the same partition count: the merge joins partition i with partition i");
            }
        }
    }
}
