package io.github.camelbundle.merge;

import io.github.camelbundle.monitor.PipelineMetrics;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The Claim Check on the merge's side: a poll's events whose product is unknown are checked into the
 * wait store (one transaction per poll, before the poll's offsets are committed); the events waiting
 * for the products a poll brought are checked out into that poll's own delivery, and removed from the
 * store once delivered or dead-lettered.
 */
public class WaitingEvents {

    private final WaitStore store;
    private final InventoryTable table;
    private final PipelineMetrics metrics;
    private final Duration maxWait;
    private final boolean sharedStore;

    /** @param sharedStore every instance of the merge group uses this store: check-outs claim what they take */
    public WaitingEvents(WaitStore store, InventoryTable table, PipelineMetrics metrics, Duration maxWait,
                         boolean sharedStore) {
        this.store = store;
        this.table = table;
        this.metrics = metrics;
        this.maxWait = maxWait;
        this.sharedStore = sharedStore;
    }

    /** Checks in the batch's events without inventory, each waiting merge.max-wait from now. */
    public void checkIn(MergeBatch batch) throws SQLException {
        if (batch.waiting().isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        long deadline = now.plus(maxWait).toEpochMilli();
        List<WaitingEvent> events = new ArrayList<>(batch.waiting().size());
        for (PendingEvent p : batch.waiting()) {
            events.add(new WaitingEvent(p.event().productId(), p.event().eventId(), WaitStore.WAITING, deadline,
                    p.waitExtensions(), new ParkedEvent(p.event(), p.source(), p.replayCount(), now, p.waitExtensions())));
        }
        store.checkIn(events);
        metrics.joinWaits(events.size());
    }

    /**
     * Checks out the events waiting for the products whose inventory this batch carried: merged with it
     * and delivered with the batch, then settled. Should delivery fail, they are still waiting, and the
     * poll read again checks them out again.
     */
    public void checkOut(MergeBatch batch) throws SQLException {
        if (batch.arrivedProducts().isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        // another instance's expiry looks at its own table, which never holds this instance's products: claim
        List<WaitingEvent> released = store.checkOut(batch.arrivedProducts(), sharedStore, now.plus(maxWait).toEpochMilli());
        for (WaitingEvent e : released) {
            batch.release(e, table.get(e.productId()), now);
        }
        metrics.merged(released.size());
    }

    /** The batch is delivered, dead-lettered and handed over: the events it settled leave the store. */
    public void settle(MergeBatch batch) throws SQLException {
        store.remove(batch.settled());
    }
}
