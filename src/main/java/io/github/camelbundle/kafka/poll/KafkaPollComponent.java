package io.github.camelbundle.kafka.poll;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code kafka-poll:streamTopic,tableTopic?groupId=...&tableTopic=...}: one consumer on co-partitioned
 * topics that hands its route one exchange per poll (body {@link Poll}), commits the poll when the exchange
 * completes, and reads it again from the last commit when it fails or is marked rollback-only.
 * Hand-written: camel-kafka's batching mode closes batches on size or interval rather than per poll, does
 * not consult breakOnFirstError, and commits one partition (camel-kafka 4.18).
 * The cluster and its security come from {@code camel.component.kafka.*}, and the client from the kafka
 * component's client factory, so this consumer is configured and metered as every other Kafka client.
 */
public class KafkaPollComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        KafkaPollEndpoint endpoint = new KafkaPollEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        if (endpoint.getGroupId() == null || endpoint.getGroupId().isBlank()) {
            throw new IllegalArgumentException(uri + ": groupId is required (offsets are committed for the group)");
        }
        return endpoint;
    }
}
