package io.github.camelbundle.merge;

import io.github.camelbundle.dlq.DeadLetter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.github.camelbundle.kafka.poll.Poll;
import org.apache.camel.Exchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a merge that cannot advance visible, and takes a record that keeps failing its poll out of it.
 * A failed poll is read again from the commit; when the same poll (same first offsets) has failed
 * {@code merge.isolate-after-failures} times in a row, outside delivery (an API that is down is never a
 * record's fault), its records are merged one at a time; one that fails alone, and alone again after
 * others passed, is dead-lettered as {@code UNPROCESSABLE}; if several fail alone in a row the cause is
 * not a record, and the poll is read again. One WARN per incident (not per retry), {@code integration_merge_poll_failures_total{cause}}, and
 * {@code integration_merge_stalled_seconds}: how long the oldest poll not committed yet has been in the works.
 * Called on the merge route's thread only, except the gauge and {@link #stalledSeconds()}.
 */
public class PollFailures {

    public static final String UNPROCESSABLE = "UNPROCESSABLE";
    /** Records that fail alone in a row before isolation gives up: then it is not the records. */
    static final int ALONE_IN_A_ROW = 3;
    private static final Logger LOG = LoggerFactory.getLogger(PollFailures.class);

    private final int isolateAfter;
    private final Duration stallTimeout;
    private final Counter failed;
    private final Counter isolated;
    /** System.nanoTime() when the merge last had a poll in the works and had not committed it; 0 = none. */
    private volatile long pendingSince;
    private Map<String, Long> lastStart;
    private int inARow;
    private boolean incident;
    private boolean stallWarned;
    private boolean isolationWarned;
    private int aloneInARow;
    private int passes;
    /** Records that failed alone once, with the number of records that had passed alone by then. */
    private final Map<ConsumerRecord<String, byte[]>, Integer> suspects = new java.util.LinkedHashMap<>();
    private MergeBatch isolatedLetters;

    /**
     * @param isolateAfter failures in a row of the same poll before its records are merged one at a time
     * @param stallTimeout how long the merge may go without committing a poll it has (merge.stall-timeout)
     */
    public PollFailures(MeterRegistry registry, int isolateAfter, Duration stallTimeout) {
        this.isolateAfter = isolateAfter;
        this.stallTimeout = stallTimeout;
        this.failed = Counter.builder("integration.merge.poll.failures").tag("cause", "error")
                .description("merge polls read again from the commit because a step failed")
                .register(registry);
        this.isolated = Counter.builder("integration.merge.records.isolated")
                .description("records that failed their poll alone, dead-lettered as UNPROCESSABLE").register(registry);
        Gauge.builder("integration.merge.stalled.seconds", this, PollFailures::stalledSeconds)
                .description("how long the merge has had a poll it could not commit (0 when it advances)").register(registry);
    }

    /** A poll reached the merge. */
    public void started() {
        if (pendingSince == 0) {
            pendingSince = System.nanoTime();
        }
    }

    /** The poll is committed: the merge advances; an open incident is closed with one line. */
    public void advanced() {
        if (incident || stallWarned) {
            LOG.info("Merge advances again after {} failed tries of the same poll, {} s without a commit", inARow,
                    Math.round(stalledSeconds()));
        }
        pendingSince = 0;
        lastStart = null;
        inARow = 0;
        incident = false;
        stallWarned = false;
        isolationWarned = false;
    }

    /**
     * The poll failed; it is read again, or isolated (returns true) when it has failed often enough in a
     * row and not in delivery.
     */
    public boolean failed(Exchange exchange, Poll poll, String stage) {
        failed.increment();
        Map<String, Long> start = firstOffsets(poll);
        stage = stage == null ? "merge" : stage;
        inARow = start.equals(lastStart) ? inARow + 1 : 1;
        lastStart = start;
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (!incident) {
            incident = true;
            LOG.warn("Merge poll starting at {} failed in {} and will be read again from the commit: {} (further tries "
                    + "are counted in integration_merge_poll_failures_total, not logged)", start, stage, String.valueOf(e));
        } else {
            LOG.debug("Merge poll starting at {} failed again (try {}): {}", start, inARow, String.valueOf(e));
        }
        // isolated at the Nth failure, and again every 10 N while it keeps failing (a record may fail during an outage)
        boolean due = inARow == isolateAfter || (inARow > isolateAfter && inARow % (10 * isolateAfter) == 0);
        return due && !"delivery".equals(stage) && poll != null && poll.size() > 1;
    }

    /** Isolation starts: the poll's records go through the merge one at a time. */
    public void isolating(Poll poll) {
        if (!isolationWarned) {
            isolationWarned = true;
            LOG.warn("Merge poll starting at {} failed {} times in a row: merging its {} records one at a time to find "
                    + "the one that fails", lastStart, inARow, poll.size());
        }
        aloneInARow = 0;
        passes = 0;
        suspects.clear();
        isolatedLetters = new MergeBatch();
    }

    /** The body for merging one record alone: a poll of one. */
    public Poll alone(ConsumerRecord<String, byte[]> record) {
        return Poll.of(record);
    }

    public void passedAlone() {
        aloneInARow = 0;
        passes++;
    }

    /** A record failed alone: a suspect, tried again after the others; too many in a row: not the records. */
    public void failedAlone(Exchange exchange, ConsumerRecord<String, byte[]> record) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (++aloneInARow >= ALONE_IN_A_ROW) {
            throw new IllegalStateException(ALONE_IN_A_ROW + " records in a row failed alone: not a record's fault ("
                    + e + ")", e);
        }
        suspects.put(record, passes);
    }

    /** The records that failed alone once, to be tried alone again. */
    public List<ConsumerRecord<String, byte[]>> suspects() {
        return List.copyOf(suspects.keySet());
    }

    /**
     * A suspect failed alone again: a dead letter, if other records passed alone since it first failed (the
     * merge works, this record does not); otherwise the cause may have come and gone, and the poll is read again.
     */
    public void convict(Exchange exchange, ConsumerRecord<String, byte[]> record) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (passes <= suspects.getOrDefault(record, passes)) {
            throw new IllegalStateException("no record passed alone since this one failed: not shown to be its fault ("
                    + e + ")", e);
        }
        isolatedLetters.addDeadLetter(new DeadLetter(UNPROCESSABLE, e == null ? "unknown" : e.getClass().getName(),
                "record: failed the merge alone twice after its poll failed " + inARow + " times: " + (e == null ? "" : e.getMessage()),
                record.topic(), record.partition(), record.offset(), record.key(), record.value(), "kafka-to-merge",
                io.github.camelbundle.dlq.SteeringHeaders.count(IncomingRecordParser.header(record, IncomingRecordParser.REPLAY_COUNT))));
    }

    /** The dead letters of the records that failed alone; logged once. */
    public MergeBatch isolated() {
        isolated.increment(isolatedLetters.deadLetters().size());
        LOG.warn("Merge poll starting at {}: {} record(s) failed alone and are dead-lettered as {} ({}); the rest of "
                + "the poll went on", lastStart, isolatedLetters.deadLetters().size(), UNPROCESSABLE,
                isolatedLetters.deadLetters().stream().map(d -> d.sourceTopic() + "-" + d.sourcePartition() + "@" + d.sourceOffset())
                        .toList());
        return isolatedLetters;
    }

    /** Timer: one WARN when the merge has not advanced for longer than merge.stall-timeout (a hung step included). */
    public void watch() {
        if (!stallWarned && stalled()) {
            stallWarned = true;
            LOG.warn("Merge has not committed a poll for {} s (merge.stall-timeout {}): {}; readiness is DOWN until it "
                    + "advances", Math.round(stalledSeconds()), stallTimeout,
                    incident ? inARow + " failed tries of the poll starting at " + lastStart : "a poll is still in progress");
        }
    }

    public double stalledSeconds() {
        long since = pendingSince;
        return since == 0 ? 0 : (System.nanoTime() - since) / 1e9;
    }

    public boolean stalled() {
        return stalledSeconds() * 1000 > stallTimeout.toMillis();
    }

    public Duration stallTimeout() {
        return stallTimeout;
    }

    private static Map<String, Long> firstOffsets(Poll poll) {
        Map<String, Long> first = new HashMap<>();
        if (poll != null) {
            poll.firstOffsets().forEach((tp, offset) -> first.put(tp.toString(), offset));
        }
        return first;
    }
}
