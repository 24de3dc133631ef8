package io.github.camelbundle.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What the broker says about the pipeline, through the admin client: whether it answers, how many
 * records wait in the dead-letter topic, and the merge group's lag on the customer topic (end offset
 * minus committed offset: what is not yet stored or dead-lettered). Cached briefly, so metrics
 * scrapes and the monitor do not hammer the broker.
 */
public class KafkaObserver implements AutoCloseable {

    private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Admin admin;
    private final String dlqTopic;
    private final String customerTopic;
    private final String groupId;
    private volatile long dlqDepth = -1;
    private volatile long customerLag = -1;
    private volatile long readAt;

    public KafkaObserver(KafkaConnection kafka, String dlqTopic, String customerTopic, String groupId) {
        Properties props = kafka.properties();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        this.admin = Admin.create(props);
        this.dlqTopic = dlqTopic;
        this.customerTopic = customerTopic;
        this.groupId = groupId;
    }

    /** True when the cluster answered within the timeout. */
    public boolean brokerReachable(Duration timeout) {
        try {
            return !admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /** Records in the dead-letter topic, or -1 when the broker cannot say. */
    public long dlqDepth() {
        refresh();
        return dlqDepth;
    }

    /** Customer events not yet committed by the merge group, or -1 when the broker cannot say. */
    public long customerLag() {
        refresh();
        return customerLag;
    }

    private synchronized void refresh() {
        if (System.nanoTime() - readAt < CACHE_NANOS) {
            return;
        }
        readAt = System.nanoTime();
        try {
            List<TopicPartition> dlq = partitions(dlqTopic);
            Map<TopicPartition, ListOffsetsResultInfo> dlqEnd = offsets(dlq, OffsetSpec.latest());
            Map<TopicPartition, ListOffsetsResultInfo> dlqStart = offsets(dlq, OffsetSpec.earliest());
            dlqDepth = dlq.stream().mapToLong(tp -> dlqEnd.get(tp).offset() - dlqStart.get(tp).offset()).sum();

            List<TopicPartition> customers = partitions(customerTopic);
            Map<TopicPartition, ListOffsetsResultInfo> end = offsets(customers, OffsetSpec.latest());
            Map<TopicPartition, ListOffsetsResultInfo> start = offsets(customers, OffsetSpec.earliest());
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(3, TimeUnit.SECONDS);
            customerLag = customers.stream().mapToLong(tp -> {
                OffsetAndMetadata c = committed.get(tp);
                return end.get(tp).offset() - (c == null ? start.get(tp).offset() : c.offset());
            }).sum();
        } catch (Exception e) {
            dlqDepth = -1;
            customerLag = -1;
        }
    }

    /** The end offset (the next offset to be written) of each partition, as the broker has it now. */
    public Map<TopicPartition, Long> endOffsets(List<TopicPartition> partitions) throws Exception {
        return offsets(partitions, OffsetSpec.latest()).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /**
     * The last stable offset of each partition: the end offset as a read_committed consumer sees it (an
     * open transaction's records are not readable yet, and must not keep a reader waiting for them).
     */
    public Map<TopicPartition, Long> stableEndOffsets(List<TopicPartition> partitions) throws Exception {
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())),
                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all().get(3, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** The log start offset (the first offset still readable) of each partition, as the broker has it now. */
    public Map<TopicPartition, Long> startOffsets(List<TopicPartition> partitions) throws Exception {
        return offsets(partitions, OffsetSpec.earliest()).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private List<TopicPartition> partitions(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(3, TimeUnit.SECONDS).get(topic).partitions()
                .stream().map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
    }

    private Map<TopicPartition, ListOffsetsResultInfo> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws Exception {
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> spec)))
                .all().get(3, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
