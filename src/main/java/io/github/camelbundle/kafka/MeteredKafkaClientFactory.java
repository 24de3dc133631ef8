package io.github.camelbundle.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.TopicPartition;

/**
 * camel-kafka's client factory, plus Micrometer's binder for each client's own metrics (consumer lag
 * per partition, fetch and produce rates) on {@code /observe/metrics}. Keeps the consumers so health
 * checks can read their assignment from the client's metrics (thread-safe, unlike the consumer), and
 * the parking lot can ask whether a partition is still assigned here.
 */
public class MeteredKafkaClientFactory extends DefaultKafkaClientFactory {

    private final MeterRegistry registry;
    private final String tableTopic;
    private final List<GroupConsumer> consumers = new CopyOnWriteArrayList<>();

    private record GroupConsumer(String groupId, Consumer<?, ?> consumer) {
    }

    /**
     * @param tableTopic a topic read as a table: a consumer that subscribes to it reads its newly
     *                   assigned partitions to their end before the other topics' (see TableFirstConsumer)
     */
    public MeteredKafkaClientFactory(MeterRegistry registry, String tableTopic) {
        this.registry = registry;
        this.tableTopic = tableTopic;
    }

    @Override
    public Producer getProducer(Properties kafkaProps) {
        Producer<?, ?> producer = super.getProducer(kafkaProps);
        new KafkaClientMetrics(producer).bindTo(registry);
        return producer;
    }

    @Override
    public Consumer getConsumer(Properties kafkaProps) {
        Consumer<?, ?> consumer = new TableFirstConsumer<>(kafkaProps, tableTopic);
        new KafkaClientMetrics(consumer).bindTo(registry);
        consumers.removeIf(c -> assignedPartitions(c.consumer()) < 0);
        consumers.add(new GroupConsumer(kafkaProps.getProperty("group.id", ""), consumer));
        return consumer;
    }

    /** Partitions assigned to the consumers of this group id, summed; 0 when none is assigned. */
    public int assignedPartitions(String groupId) {
        int total = 0;
        for (GroupConsumer c : consumers) {
            if (groupId.equals(c.groupId())) {
                total += Math.max(0, assignedPartitions(c.consumer()));
            }
        }
        return total;
    }

    /** The partitions of {@code topic} assigned to the group's consumers in this process. */
    public List<TopicPartition> assigned(String groupId, String topic) {
        List<TopicPartition> out = new java.util.ArrayList<>();
        for (AssignmentReportingConsumer<?, ?> reporting : reporting(groupId)) {
            if (reporting.lastAssignment() != null) {
                reporting.lastAssignment().stream().filter(tp -> topic.equals(tp.topic())).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Whether a partition is assigned to a consumer of this group in this process, as of that
     * consumer's last poll; empty while no consumer of the group has polled yet (not known).
     */
    public Optional<Boolean> owns(String groupId, TopicPartition partition) {
        Optional<Boolean> owned = Optional.empty();
        for (AssignmentReportingConsumer<?, ?> reporting : reporting(groupId)) {
            if (reporting.lastAssignment() != null) {
                if (reporting.lastAssignment().contains(partition)) {
                    return Optional.of(true);
                }
                owned = Optional.of(false);
            }
        }
        return owned;
    }

    /**
     * Whether the group's consumers in this process have read every partition of {@code topic} assigned
     * to them up to its end, as of their last poll (exact per-partition lag, taken on the consumer's own
     * thread); false while any has not, or none has polled.
     */
    public boolean caughtUp(String groupId, String topic) {
        boolean any = false;
        for (AssignmentReportingConsumer<?, ?> reporting : reporting(groupId)) {
            if (reporting.lastAssignment() != null) {
                if (!reporting.caughtUp(topic)) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /** The group's consumers in this process that report their assignment and progress. */
    private List<AssignmentReportingConsumer<?, ?>> reporting(String groupId) {
        List<AssignmentReportingConsumer<?, ?>> out = new java.util.ArrayList<>();
        for (GroupConsumer c : consumers) {
            if (groupId.equals(c.groupId()) && c.consumer() instanceof AssignmentReportingConsumer<?, ?> reporting) {
                out.add(reporting);
            }
        }
        return out;
    }

    /** From the client's coordinator metrics; -1 once the consumer is closed. */
    private static int assignedPartitions(Consumer<?, ?> consumer) {
        try {
            for (Metric m : consumer.metrics().values()) {
                if (m.metricName().name().equals("assigned-partitions")) {
                    return ((Number) m.metricValue()).intValue();
                }
            }
            return 0;
        } catch (RuntimeException closed) {
            return -1;
        }
    }
}
