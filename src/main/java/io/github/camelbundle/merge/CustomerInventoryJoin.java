package io.github.camelbundle.merge;

import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.MergedRecord;
import io.github.camelbundle.monitor.PipelineMetrics;
import java.time.Instant;

/**
 * The content enricher: applies the batch's inventory updates to the table, releases events that
 * were waiting for those products, then joins each customer event with its product's current
 * record; an event whose product is unknown is parked until the product's inventory arrives.
 */
public class CustomerInventoryJoin {

    private final InventoryTable table;
    private final ParkedEvents parked;
    private final PipelineMetrics metrics;

    public CustomerInventoryJoin(InventoryTable table, ParkedEvents parked, PipelineMetrics metrics) {
        this.table = table;
        this.parked = parked;
        this.metrics = metrics;
        metrics.parkedGauge(parked::count);
    }

    public MergeBatch join(MergeBatch batch) {
        Instant now = Instant.now();
        int stale = 0;
        for (InventoryRecord update : batch.inventory()) {
            if (!table.apply(update)) {
                stale++;
                continue;
            }
            for (PendingEvent waiting : parked.release(update.productId())) {
                merge(batch, waiting, update, now);
            }
        }
        for (PendingEvent pending : batch.customerEvents()) {
            InventoryRecord stock = table.get(pending.event().productId());
            if (stock == null) {
                parked.park(pending, now);
            } else {
                merge(batch, pending, stock, now);
            }
        }
        metrics.staleIgnored(stale);
        metrics.merged(batch.merged().size());
        return batch;
    }

    private static void merge(MergeBatch batch, PendingEvent event, InventoryRecord stock, Instant now) {
        batch.merged().add(MergedRecord.of(event.event(), stock, event.source(), now));
        batch.replayed(event.event().eventId(), event.replayCount());
    }
}
