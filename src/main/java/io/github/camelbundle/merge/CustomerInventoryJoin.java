package io.github.camelbundle.merge;

import io.github.camelbundle.kafka.PollPositions;
import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.MergedRecord;
import io.github.camelbundle.monitor.PipelineMetrics;
import io.github.camelbundle.monitor.TraceEvents;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The content enricher: applies the batch's inventory updates to the table (noting which products
 * arrived, so their parked events can be released), then joins each customer event with its
 * product's current record, an in-memory map read. An event whose product is unknown is put on the
 * batch's waiting list, for the durable wait store.
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
        batch.removedProducts().forEach(table::remove);
        for (InventoryRecord update : batch.inventory()) {
            if (!table.apply(update)) {
                stale++;
            }
            // stale or not, the product is known: a poll read again checks out again what it took
            batch.arrivedProducts().add(update.productId());
        }
        table.tookIn(takenIn(batch));
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

    /**
     * Per partition, the offset the table now holds everything up to: the last record's, or, where the
     * consumer reported its position, everything it stepped over too (a commit marker is often the last
     * offset of a transactional topic, and never a record: the end offset - 1 would otherwise never be held).
     */
    private static Map<TopicPartition, Long> takenIn(MergeBatch batch) {
        Map<TopicPartition, Long> out = new HashMap<>(batch.lastOffsets());
        out.replaceAll((tp, last) -> {
            PollPositions.Span span = batch.span(tp);
            return span == null ? last : Math.max(last, span.to() - 1);
        });
        return out;
    }

    private static void merge(MergeBatch batch, PendingEvent event, InventoryRecord stock, Instant now) {
        batch.merged().add(MergedRecord.of(event.event(), stock, event.source(), now));
        batch.replayed(event.event().eventId(), event.replayCount());
    }
}
