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
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the bundle's topics at start-up when they are missing, with the contract's partitions and
 * retention, the inventory topic compacted (the bundle never relies on broker auto-creation); reports
 * existing topics that differ; and checks that the two input topics are co-partitioned, which the join
 * depends on.
 */
public final class TopicInitializer {

    private static final Logger LOG = LoggerFactory.getLogger(TopicInitializer.class);

    /** A topic to make: name, partitions, and retention or compaction (a table: the latest record per key stays). */
    public record TopicSpec(String name, int partitions, Duration retention, boolean compacted) {

        public TopicSpec(String name, int partitions, Duration retention) {
            this(name, partitions, retention, false);
        }

        String cleanupPolicy() {
            return compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE;
        }

        Map<String, String> configs() {
            // compaction only: a retention would drop products not updated within it
            return compacted ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                    : Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
        }
    }

    private TopicInitializer() {
    }

    /**
     * Creates the missing topics; an existing one whose cleanup policy or partition count differs from its
     * spec is left as it is and reported at WARN, with the command that fixes it.
     *
     * @return the mismatches reported
     */
    public static List<String> ensure(KafkaConnection kafka, List<TopicSpec> topics, Duration timeout) throws Exception {
        Properties props = kafka.properties();
        String bootstrapServers = kafka.bootstrapServers();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec spec : topics) {
                if (!existing.contains(spec.name())) {
                    missing.add(new NewTopic(spec.name(), Optional.of(spec.partitions()), Optional.empty())
                            .configs(spec.configs()));
                }
            }
            List<TopicSpec> present = topics.stream().filter(t -> existing.contains(t.name())).toList();
            List<String> mismatches = present.isEmpty() ? List.of() : mismatches(admin, bootstrapServers, present);
            mismatches.forEach(LOG::warn);
            for (NewTopic topic : missing) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                    LOG.info("Created topic {} ({} partitions, {})", topic.name(), topic.numPartitions(), topic.configs());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return mismatches;
        }
    }

    /** What differs between existing topics and their specs, each with the command that fixes it. */
    private static List<String> mismatches(Admin admin, String bootstrapServers, List<TopicSpec> specs) throws Exception {
        List<String> names = specs.stream().map(TopicSpec::name).toList();
        Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
        Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all().get();
        List<String> out = new ArrayList<>();
        for (TopicSpec spec : specs) {
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
            ConfigEntry policy = config == null ? null : config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            String actual = policy == null ? TopicConfig.CLEANUP_POLICY_DELETE : policy.value();
            if (!actual.equals(spec.cleanupPolicy())) {
                out.add("Topic " + spec.name() + " has cleanup.policy=" + actual + ", expected " + spec.cleanupPolicy()
                        + (spec.compacted() ? " (it is a table: a record not updated within the retention is lost)" : "")
                        + "; fix it with: kafka-configs.sh --bootstrap-server " + bootstrapServers
                        + " --alter --entity-type topics --entity-name " + spec.name() + " --add-config cleanup.policy="
                        + spec.cleanupPolicy());
            }
            int partitions = described.get(spec.name()).partitions().size();
            if (partitions != spec.partitions()) {
                out.add("Topic " + spec.name() + " has " + partitions + " partitions, expected " + spec.partitions()
                        + (partitions < spec.partitions() ? "; add them with: kafka-topics.sh --bootstrap-server "
                        + bootstrapServers + " --alter --topic " + spec.name() + " --partitions " + spec.partitions()
                        + " (keyed records move partitions: do it on both input topics at once, while the merge is stopped)"
                        : "; partitions cannot be removed: set topic.partitions=" + partitions
                        + " or recreate the topic"));
            }
        }
        return out;
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
