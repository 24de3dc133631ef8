package io.github.camelbundle.merge;

import io.github.camelbundle.dlq.DeadLetter;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.monitor.PipelineMetrics;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wait's deadlines: the events whose max-wait passed, each decided (see {@link #decide}) and claimed
 * for its fate, as one batch to release, hand over and dead-letter.
 */
public class WaitDeadlines {

    private static final Logger LOG = LoggerFactory.getLogger(WaitDeadlines.class);
    private static final String ROUTE = "merge-wait-deadlines";

    /** What happens to an event whose wait ended. */
    public enum Decision { RELEASE, EXTEND, WAIT_AGAIN, HAND_OVER, EXPIRE, DEAD_LETTER, LEAVE }

    /** The partitions of a topic this instance owns now: empty when not known (start-up, a rebalance). */
    @FunctionalInterface
    public interface PartitionOwnership {
        Optional<Set<Integer>> owned(String topic);
    }

    private final WaitStore store;
    private final InventoryTable table;
    private final PipelineMetrics metrics;
    private final BooleanSupplier sawAllInventory;
    private final PartitionOwnership ownership;
    private final int maxExtensions;
    private final Duration maxWait;
    private final boolean sharedStore;
    private final int limit;
    private final String customerTopic;
    private volatile boolean failing;

    /**
     * @param sawAllInventory true while the merge consumes and the join has taken in every inventory
     *                        record the broker holds: only then does a missing product mean it never came
     * @param sharedStore     every instance of the merge group uses this store (PostgreSQL)
     * @param limit           events settled per run at most
     */
    public WaitDeadlines(WaitStore store, InventoryTable table, PipelineMetrics metrics, BooleanSupplier sawAllInventory,
                         PartitionOwnership ownership, int maxExtensions, Duration maxWait, boolean sharedStore, int limit,
                         String customerTopic) {
        this.store = store;
        this.table = table;
        this.metrics = metrics;
        this.sawAllInventory = sawAllInventory;
        this.ownership = ownership;
        this.maxExtensions = maxExtensions;
        this.maxWait = maxWait;
        this.sharedStore = sharedStore;
        this.limit = limit;
        this.customerTopic = customerTopic;
    }

    /**
     * The events due now, each claimed for its fate: a batch to deliver, hand over and dead-letter. With a
     * shared store only the events of this instance's partitions are looked at (the others are their
     * owners'); while the partitions are not known, none.
     */
    public MergeBatch due() throws SQLException, JsonProcessingException {
        Instant now = Instant.now();
        MergeBatch batch = new MergeBatch();
        Optional<Set<Integer>> owned = ownership.owned(customerTopic);
        if (sharedStore && owned.isEmpty()) {
            return batch;
        }
        List<WaitingEvent> due = store.due(now.toEpochMilli(), limit, sharedStore ? owned.get() : null);
        if (due.isEmpty()) {
            return batch;
        }
        Map<Decision, List<WaitingEvent>> fates = new EnumMap<>(Decision.class);
        Boolean[] sawAll = {null};
        BooleanSupplier sawAllOnce = () -> {
            if (sawAll[0] == null) {
                sawAll[0] = sawAllInventory.getAsBoolean();
            }
            return sawAll[0];
        };
        for (WaitingEvent e : due) {
            fates.computeIfAbsent(decide(e, owned, sawAllOnce), d -> new ArrayList<>()).add(e);
        }
        long retryAt = now.plus(maxWait).toEpochMilli();
        release(batch, store.claim(fates.getOrDefault(Decision.RELEASE, List.of()), WaitStore.RELEASING, retryAt, false), now);
        store.claim(fates.getOrDefault(Decision.EXTEND, List.of()), WaitStore.WAITING, retryAt, true);
        // waiting again keeps each event's state: one claim per state
        Map<String, List<WaitingEvent>> waitAgain = new java.util.HashMap<>();
        fates.getOrDefault(Decision.WAIT_AGAIN, List.of()).forEach(e -> waitAgain.computeIfAbsent(e.state(), k -> new ArrayList<>()).add(e));
        for (Map.Entry<String, List<WaitingEvent>> same : waitAgain.entrySet()) {
            store.claim(same.getValue(), same.getKey(), retryAt, false);
        }
        for (WaitingEvent e : store.claim(fates.getOrDefault(Decision.HAND_OVER, List.of()), WaitStore.HANDING_OVER, retryAt, false)) {
            batch.handOvers().add(e);
            batch.settled().add(e);
        }
        // claimed first, then the table looked at again: a check-out reads an event only after its product
        // reached the table, so it either sees the claim (and leaves the event) or the product is seen here.
        // Each is then claimed for what it became, so a run taken up again never changes a published fate
        List<WaitingEvent> releasedLate = new ArrayList<>();
        List<WaitingEvent> neverCame = new ArrayList<>(fates.getOrDefault(Decision.DEAD_LETTER, List.of()));
        for (WaitingEvent e : store.claim(fates.getOrDefault(Decision.EXPIRE, List.of()), WaitStore.EXPIRING, retryAt, false)) {
            (table.get(e.productId()) != null ? releasedLate : neverCame).add(e);
        }
        release(batch, store.claim(releasedLate, WaitStore.RELEASING, retryAt, false), now);
        for (WaitingEvent e : store.claim(neverCame, WaitStore.DEAD_LETTERING, retryAt, false)) {
            batch.addDeadLetter(noInventory(e));
            batch.settled().add(e);
        }
        metrics.merged(batch.merged().size());
        return batch;
    }

    /** Merges the claimed events with their product's stock; one whose product was deleted meanwhile waits on. */
    private void release(MergeBatch batch, List<WaitingEvent> claimed, Instant now) {
        for (WaitingEvent e : claimed) {
            InventoryRecord stock = table.get(e.productId());
            if (stock != null) {
                batch.release(e, stock, now);
            }
        }
    }

    /** A run went through: an incident ends with one line. */
    public void succeeded() {
        if (failing) {
            failing = false;
            LOG.info("The wait's deadlines are settled again");
        }
    }

    /** A run failed: one WARN per incident (the claimed events wait for their next deadline). */
    public void failed(Exception e) {
        if (!failing) {
            failing = true;
            LOG.warn("The wait's deadlines could not be settled, trying every run until they are: {}", e.toString());
        }
    }

    /**
     * A fate, once published, is never changed: an event being released is only released again, one being
     * dead-lettered or handed over only that. A waiting event, or one claimed for expiry that published
     * nothing yet, is decided afresh: only the instance that owns its partition decides (a moved event is
     * handed over, or left to its owner in a shared store; not known yet, it is left for the next run);
     * released when the product is known; NO_INVENTORY only when the merge has taken in all inventory there
     * was; otherwise its wait is extended, up to merge.max-wait-extensions times, then waits uncounted.
     */
    Decision decide(WaitingEvent e, Optional<Set<Integer>> owned, BooleanSupplier sawAll) {
        switch (e.state()) {
            case WaitStore.RELEASING:
                return table.get(e.productId()) != null ? Decision.RELEASE : Decision.WAIT_AGAIN;
            case WaitStore.DEAD_LETTERING:
                return Decision.DEAD_LETTER;
            case WaitStore.HANDING_OVER:
                return Decision.HAND_OVER;
            default:
                break;
        }
        if (owned.isEmpty()) {
            return Decision.LEAVE;
        }
        if (!owned.get().contains(e.parked().source().partition())) {
            return sharedStore ? Decision.LEAVE : Decision.HAND_OVER;
        }
        if (table.get(e.productId()) != null) {
            return Decision.RELEASE;
        }
        if (!sawAll.getAsBoolean()) {
            return e.extensions() < maxExtensions ? Decision.EXTEND : Decision.WAIT_AGAIN;
        }
        return Decision.EXPIRE;
    }

    /**
     * Handed over: the original customer event, keyed by its product (so it lands on the partition the
     * product's inventory is on, and on the instance that reads it), with its replay count and the wait
     * it has spent, for the merge topic again.
     */
    public void handOver(Exchange exchange, WaitingEvent e) throws JsonProcessingException {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(KafkaConstants.KEY, e.productId());
        message.setHeader(IncomingRecordParser.REPLAY_COUNT, Integer.toString(e.parked().replayCount()));
        message.setHeader(IncomingRecordParser.WAIT_EXTENSIONS, Integer.toString(e.extensions() + 1));
        message.setBody(Json.MAPPER.writeValueAsBytes(e.parked().event()));
    }

    /** Counts a hand-over once the broker has acknowledged it. */
    public void handedOver() {
        metrics.handedOver(1);
    }

    private static DeadLetter noInventory(WaitingEvent e) throws JsonProcessingException {
        ParkedEvent parked = e.parked();
        return new DeadLetter(DeadLetter.NO_INVENTORY, "NoInventory",
                "productId: no inventory for '" + e.productId() + "' arrived within merge.max-wait"
                        + (e.extensions() > 0 ? " x " + (1 + e.extensions()) + " (extended or handed over)" : ""),
                parked.source().topic(), parked.source().partition(), parked.source().offset(),
                e.productId(), Json.MAPPER.writeValueAsBytes(parked.event()), ROUTE, parked.replayCount());
    }
}
