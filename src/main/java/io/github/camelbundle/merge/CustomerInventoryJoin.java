package io.github.camelbundle.merge;

import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.MergedRecord;
import io.github.camelbundle.monitor.PipelineMetrics;
import io.github.camelbundle.monitor.TraceEvents;
import java.time.Instant;

/**
 * The content enricher: applies the batch's inventory updates to the table (noting which products
 * arrived, so their parked events can be released), then joins each customer event with its
 * product's current record, an in-memory map read. An event whose product is unknown is put on the
 * batch's waiting list, for the durable parking aggregator.
 */
public class CustomerInventoryJoin {

    private final InventoryTable table;
    private final PipelineMetrics metrics;

    public CustomerInventoryJoin(InventoryTable table, PipelineMetrics metrics) {
        this.table = table;
        this.metrics = metrics;
    }

    public MergeBatch join(MergeBatch batch) {
        Instant now = Instant.now();
        int stale = 0;
        for (InventoryRecord update : batch.inventory()) {
            if (table.apply(update)) {
                batch.arrivedProducts().add(update.productId());
            } else {
                stale++;
            }
        }
        table.tookIn(batch.lastOffsets());
        for (PendingEvent pending : batch.customerEvents()) {
            InventoryRecord stock = table.get(pending.event().productId());
            if (stock == null) {
                batch.waiting().add(pending);
            } else {
                merge(batch, pending, stock, now);
            }
        }
        metrics.staleIgnored(stale);
        metrics.merged(batch.merged().size());
        TraceEvents.tag(batch.customerEvents(), pending -> pending.event().eventId());
        return batch;
    }

    private static void merge(MergeBatch batch, PendingEvent event, InventoryRecord stock, Instant now) {
        batch.merged().add(MergedRecord.of(event.event(), stock, event.source(), now));
        batch.replayed(event.event().eventId(), event.replayCount());
    }
}
