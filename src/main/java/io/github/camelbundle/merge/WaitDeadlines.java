package io.github.camelbundle.merge;

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
import java.util.function.BooleanSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wait's deadlines: the events whose max-wait passed, each claimed for its fate, as one batch.
 * Released when the product is in the table now; handed over when its partition moved to another
 * instance (unless the store is shared: that instance sees the event itself); waiting again when the
 * merge could not have seen the inventory (consumption suspended, the inventory topic not taken in
 * up to its end when the wait ended); past merge.max-wait-extensions, or else, expired as NO_INVENTORY.
 */
public class WaitDeadlines {

    private static final Logger LOG = LoggerFactory.getLogger(WaitDeadlines.class);
    private static final String ROUTE = "merge-wait-deadlines";

    /** What happens to an event whose wait ended. */
    public enum Decision { RELEASE, EXTEND, HAND_OVER, EXPIRE, LEAVE }

    /** Whether a customer partition is still assigned to this instance: empty when not known yet. */
    @FunctionalInterface
    public interface PartitionOwnership {
        Optional<Boolean> owns(String topic, int partition);
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
    private volatile boolean failing;

    /**
     * @param sawAllInventory true while the merge consumes and the join has taken in every inventory
     *                        record the broker holds: only then does a missing product mean it never came
     * @param sharedStore     every instance of the merge group uses this store (PostgreSQL)
     * @param limit           events settled per run at most
     */
    public WaitDeadlines(WaitStore store, InventoryTable table, PipelineMetrics metrics, BooleanSupplier sawAllInventory,
                         PartitionOwnership ownership, int maxExtensions, Duration maxWait, boolean sharedStore, int limit) {
        this.store = store;
        this.table = table;
        this.metrics = metrics;
        this.sawAllInventory = sawAllInventory;
        this.ownership = ownership;
        this.maxExtensions = maxExtensions;
        this.maxWait = maxWait;
        this.sharedStore = sharedStore;
        this.limit = limit;
    }

    /** The events due now, each claimed for its fate: a batch to deliver, hand over and dead-letter. */
    public MergeBatch due() throws SQLException, JsonProcessingException {
        Instant now = Instant.now();
        MergeBatch batch = new MergeBatch();
        List<WaitingEvent> due = store.due(now.toEpochMilli(), limit);
        if (due.isEmpty()) {
            return batch;
        }
        Map<Decision, List<WaitingEvent>> fates = new EnumMap<>(Decision.class);
        Boolean[] sawAll = {null};
        for (WaitingEvent e : due) {
            fates.computeIfAbsent(decide(e, () -> {
                if (sawAll[0] == null) {
                    sawAll[0] = sawAllInventory.getAsBoolean();
                }
                return sawAll[0];
            }), d -> new ArrayList<>()).add(e);
        }
        long retryAt = now.plus(maxWait).toEpochMilli();
        for (WaitingEvent e : store.claim(fates.getOrDefault(Decision.RELEASE, List.of()), WaitStore.RELEASING, retryAt, false)) {
            batch.release(e, table.get(e.productId()), now);
        }
        store.claim(fates.getOrDefault(Decision.EXTEND, List.of()), WaitStore.WAITING, retryAt, true);
        for (WaitingEvent e : store.claim(fates.getOrDefault(Decision.HAND_OVER, List.of()), WaitStore.HANDING_OVER, retryAt, false)) {
            batch.handOvers().add(e);
            batch.settled().add(e);
        }
        // claimed first, then the table looked at again: a check-out reads an event only after its product
        // reached the table, so it either sees the claim (and leaves the event) or the product is seen here
        for (WaitingEvent e : store.claim(fates.getOrDefault(Decision.EXPIRE, List.of()), WaitStore.EXPIRING, retryAt, false)) {
            InventoryRecord stock = table.get(e.productId());
            if (stock != null) {
                batch.release(e, stock, now);
            } else {
                batch.addDeadLetter(noInventory(e));
                batch.settled().add(e);
            }
        }
        metrics.merged(batch.merged().size());
        return batch;
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

    Decision decide(WaitingEvent e, BooleanSupplier sawAll) {
        if (e.state().equals(WaitStore.EXPIRING)) {
            return Decision.EXPIRE;
        }
        if (e.state().equals(WaitStore.HANDING_OVER)) {
            return Decision.HAND_OVER;
        }
        if (table.get(e.productId()) != null) {
            return Decision.RELEASE;
        }
        // only the instance that reads the product's inventory may conclude that it never came: a moved
        // event is handed over even past the limit (each hand-over counts, and the owner then decides)
        if (ownership.owns(e.parked().source().topic(), e.parked().source().partition()).orElse(true) == Boolean.FALSE) {
            return sharedStore ? Decision.LEAVE : Decision.HAND_OVER;
        }
        if (e.extensions() >= maxExtensions) {
            return Decision.EXPIRE;
        }
        if (!sawAll.getAsBoolean()) {
            return Decision.EXTEND;
        }
        // the inventory may have reached the table while that was found out (it asks the broker)
        return table.get(e.productId()) != null ? Decision.RELEASE : Decision.EXPIRE;
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
