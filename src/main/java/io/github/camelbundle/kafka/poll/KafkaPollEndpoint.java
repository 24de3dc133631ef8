package io.github.camelbundle.kafka.poll;

import io.github.camelbundle.kafka.KafkaConnection;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.camel.component.kafka.KafkaClientFactory;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The options of a {@code kafka-poll} consumer; see {@link KafkaPollComponent}. */
@UriEndpoint(scheme = "kafka-poll", title = "Kafka poll", syntax = "kafka-poll:topics", consumerOnly = true,
        category = {Category.MESSAGING})
public class KafkaPollEndpoint extends DefaultEndpoint {

    @UriPath(description = "Comma-separated topics, co-partitioned")
    private final String topics;
    @UriParam(description = "Consumer group id; its commits are the only record of progress")
    private String groupId;
    @UriParam(description = "A topic read as a table: never committed, read from its start on every assignment "
            + "and to its end before the other topics' newly assigned partitions")
    private String tableTopic = "";
    @UriParam(defaultValue = "500")
    private int maxPollRecords = 500;
    @UriParam(defaultValue = "200", description = "How long one poll waits for records")
    private long pollTimeoutMs = 200;
    @UriParam(defaultValue = "500")
    private int fetchWaitMaxMs = 500;
    @UriParam(defaultValue = "1048576")
    private int maxPartitionFetchBytes = 1048576;
    @UriParam(defaultValue = "45000")
    private int sessionTimeoutMs = 45000;
    @UriParam(defaultValue = "read_committed", description = "Transactional producers' aborted records are skipped")
    private String isolationLevel = "read_committed";
    @UriParam(defaultValue = "1000", description = "While the route works on a poll, the consumer polls (paused) this "
            + "often, so a long route never costs it its group membership")
    private long keepAliveMs = 1000;
    @UriParam(defaultValue = "1000", description = "Pause before a failed poll is read again")
    private long retryPauseMs = 1000;
    @UriParam(defaultValue = "30000", description = "How long one commit or committed-offset request may take")
    private long commitTimeoutMs = 30000;

    KafkaPollEndpoint(String uri, KafkaPollComponent component, String topics) {
        super(uri, component);
        this.topics = topics;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        KafkaPollConsumer consumer = new KafkaPollConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("kafka-poll only consumes; write with the kafka component");
    }

    List<String> topicList() {
        return Arrays.stream(topics.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    /** The client, from the kafka component's factory (metered and reporting in this bundle). */
    org.apache.kafka.clients.consumer.Consumer<String, byte[]> newKafkaConsumer() {
        Properties props = KafkaConnection.of(getCamelContext()).properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // commits are this consumer's, after the route is done with a poll
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // partition i of every topic to the same consumer: a join of co-partitioned topics stays local
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Integer.toString(fetchWaitMaxMs));
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(maxPartitionFetchBytes));
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(sessionTimeoutMs));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        KafkaComponent kafka = getCamelContext().getComponent("kafka", KafkaComponent.class);
        KafkaClientFactory factory = kafka != null && kafka.getKafkaClientFactory() != null ? kafka.getKafkaClientFactory()
                : new DefaultKafkaClientFactory();
        @SuppressWarnings("unchecked")
        org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer = factory.getConsumer(props);
        return consumer;
    }

    PollOffsets offsets() {
        return new PollOffsets(tableTopic, Duration.ofMillis(commitTimeoutMs), Duration.ofMillis(retryPauseMs));
    }

    public String getTopics() {
        return topics;
    }

    public String getGroupId() {
        return groupId;
    }

    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }

    public String getTableTopic() {
        return tableTopic;
    }

    public void setTableTopic(String tableTopic) {
        this.tableTopic = tableTopic;
    }

    public int getMaxPollRecords() {
        return maxPollRecords;
    }

    public void setMaxPollRecords(int maxPollRecords) {
        this.maxPollRecords = maxPollRecords;
    }

    public long getPollTimeoutMs() {
        return pollTimeoutMs;
    }

    public void setPollTimeoutMs(long pollTimeoutMs) {
        this.pollTimeoutMs = pollTimeoutMs;
    }

    public int getFetchWaitMaxMs() {
        return fetchWaitMaxMs;
    }

    public void setFetchWaitMaxMs(int fetchWaitMaxMs) {
        this.fetchWaitMaxMs = fetchWaitMaxMs;
    }

    public int getMaxPartitionFetchBytes() {
        return maxPartitionFetchBytes;
    }

    public void setMaxPartitionFetchBytes(int maxPartitionFetchBytes) {
        this.maxPartitionFetchBytes = maxPartitionFetchBytes;
    }

    public int getSessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    public void setSessionTimeoutMs(int sessionTimeoutMs) {
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    public String getIsolationLevel() {
        return isolationLevel;
    }

    public void setIsolationLevel(String isolationLevel) {
        this.isolationLevel = isolationLevel;
    }

    public long getKeepAliveMs() {
        return keepAliveMs;
    }

    public void setKeepAliveMs(long keepAliveMs) {
        this.keepAliveMs = keepAliveMs;
    }

    public long getRetryPauseMs() {
        return retryPauseMs;
    }

    public void setRetryPauseMs(long retryPauseMs) {
        this.retryPauseMs = retryPauseMs;
    }

    public long getCommitTimeoutMs() {
        return commitTimeoutMs;
    }

    public void setCommitTimeoutMs(long commitTimeoutMs) {
        this.commitTimeoutMs = commitTimeoutMs;
    }
}
