package io.github.camelbundle.kafka;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the records of a consumer's last poll were read from, per partition, as the consumer itself
 * saw it. Kafka offsets are not consecutive (transaction markers, aborted records, compaction), so the
 * offsets of the records alone cannot tell a gap in the log from records handed over earlier.
 */
public interface PollPositions {

    /** {@link Span#from()} when the poll read from the position the group's commit gave (after an assignment). */
    long FROM_COMMIT = -1;

    /**
     * @param from the position the poll read the partition from: the position after the last poll that
     *             returned records of it, or the offset of a seek since; {@link #FROM_COMMIT} when resolved
     *             from the committed offset
     * @param to   the consumer's position right after the poll: every record before it that this consumer
     *             may return (read_committed) has been returned; what to commit once they are handled
     */
    record Span(long from, long to) {
    }

    /** The partitions the last poll returned records of; read on the consumer's thread, before the next poll. */
    Map<TopicPartition, Span> lastPoll();
}
