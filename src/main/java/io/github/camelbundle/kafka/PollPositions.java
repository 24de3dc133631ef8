package io.github.camelbundle.kafka;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a consumer's last poll left each partition, as the consumer itself saw it. Kafka offsets are not
 * consecutive (transaction markers, aborted records, compaction), so the last record's offset + 1 is not
 * always where the next poll starts.
 */
public interface PollPositions {

    /**
     * @param to the consumer's position right after the poll: every record before it that this consumer
     *           may return (read_committed) has been returned; what to commit once they are handled
     */
    record Span(long to) {
    }

    /** The partitions the last poll returned records of; read on the consumer's thread, before the next poll. */
    Map<TopicPartition, Span> lastPoll();
}
