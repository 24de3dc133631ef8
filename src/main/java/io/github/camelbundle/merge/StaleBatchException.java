package io.github.camelbundle.merge;

import org.apache.kafka.common.TopicPartition;

/**
 * A poll that starts after offsets that are neither committed nor being processed: camel-kafka had
 * polled it behind a batch that failed and was rewound. It is read again from the commit, in order.
 */
public class StaleBatchException extends Exception {

    StaleBatchException(TopicPartition partition, long committed, long first) {
        super("batch starts at offset " + first + " of " + partition + " but the last commit ends at " + committed
                + " (polled behind a failed batch): read again from the commit", null, false, false);
    }
}
