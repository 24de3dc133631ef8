package io.github.camelbundle.merge;

import io.github.camelbundle.kafka.PollPositions;
import io.github.camelbundle.merge.ConsumerAccessFactory.ConsumerAccess;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * Gathers the records of one Kafka poll into one batch. camel-kafka's record-by-record consumer hands
 * the records of a poll over in turn, on its own thread, and flags the last one
 * ({@code kafka.LAST_POLL_RECORD}); at that record the body becomes every record of the poll (a
 * {@code List<Exchange>}, one per record, with the kafka.* headers) and the route goes on with it.
 * Its batching mode would do this by itself, but holds each poll until the next poll has returned:
 * a whole merge-and-deliver loop of latency per record.
 * Holds the records' exchanges, so the context must not pool exchanges (Camel's default).
 */
public class PollCollector implements Processor {

    /** The exchange property holding the poll's {@link PollPositions.Span}s per partition. */
    public static final String POLL_SPANS = "mergePollSpans";

    /** Per consumer thread: a poll is handed over on one thread, from its first record to its last. */
    private final ThreadLocal<Poll> polls = ThreadLocal.withInitial(Poll::new);

    @Override
    public void process(Exchange record) {
        Poll poll = polls.get();
        Consumer<?, ?> consumer = consumerOf(record);
        if (poll.consumer != consumer) {
            // a poll cut short by a stop: its records were not committed, the new consumer reads them again
            poll.records.clear();
            poll.consumer = consumer;
        }
        boolean last = Boolean.TRUE.equals(record.getMessage().getHeader(KafkaConstants.LAST_POLL_RECORD));
        // the last record's exchange carries the poll on: the batch keeps a copy of it as read
        poll.records.add(last ? record.copy() : record);
        if (last) {
            // where the consumer read each partition from: offsets alone cannot tell log gaps from lost records
            record.setProperty(POLL_SPANS, consumer instanceof PollPositions positions ? positions.lastPoll() : null);
            record.getMessage().setBody(List.copyOf(poll.records));
            poll.records.clear();
        }
    }

    private static Consumer<?, ?> consumerOf(Exchange record) {
        Object access = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT);
        return access instanceof ConsumerAccess a ? a.consumer() : null;
    }

    private static final class Poll {
        private final List<Exchange> records = new ArrayList<>();
        private Consumer<?, ?> consumer;
    }
}
