package io.github.camelbundle.merge;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.CommitManager;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * Puts the merge consumer's Kafka client on each record (header {@code kafka.MANUAL_COMMIT}), so that
 * {@link OffsetCommitter} commits exact offsets and seeks back on the consumer's own thread.
 * Deliberately not a {@code DefaultKafkaManualCommitFactory}: with any other factory camel-kafka
 * leaves every commit to the route (its NoopCommitManager); with the default one its record-by-record
 * consumer commits each partition as soon as its records were handed over, before they are delivered.
 */
public class ConsumerAccessFactory implements KafkaManualCommitFactory {

    @Override
    public KafkaManualCommit newInstance(CamelExchangePayload exchange, KafkaRecordPayload record, CommitManager manager) {
        return new ConsumerAccess(exchange.consumer);
    }

    /** The merge consumer, from the header this factory put on the exchange. */
    public static Consumer<?, ?> consumerOf(Exchange exchange) {
        Object manual = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT);
        if (!(manual instanceof ConsumerAccess access)) {
            throw new IllegalStateException("the merge consumer must run with allowManualCommit=true and "
                    + "kafkaManualCommitFactory=#class:" + ConsumerAccessFactory.class.getName() + "; found " + manual);
        }
        return access.consumer();
    }

    /** The consumer that read the record; committing through camel-kafka is refused. */
    public record ConsumerAccess(Consumer<?, ?> consumer) implements KafkaManualCommit {
        @Override
        public void commit() {
            throw new UnsupportedOperationException("the merge commits exact offsets through OffsetCommitter");
        }
    }
}
