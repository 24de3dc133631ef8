package io.github.camelbundle.delivery;

import io.github.camelbundle.model.MergedRecord;
import io.github.camelbundle.monitor.TraceEvents;
import java.util.ArrayList;
import java.util.List;

/** Cuts the merged records of a poll into HTTP batches of at most {@code delivery.batch-size}. */
public class DeliveryBatches {

    private final int batchSize;

    public DeliveryBatches(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("delivery.batch-size must be >= 1, was " + batchSize);
        }
        this.batchSize = batchSize;
    }

    /** A batch of one, for resending a refused batch record by record. */
    public List<MergedRecord> single(MergedRecord record) {
        return List.of(record);
    }

    public List<List<MergedRecord>> split(List<MergedRecord> records) {
        // the delivery route's span: the POSTs themselves run on the delivery pool, where no span is current
        TraceEvents.tag(records, MergedRecord::eventId);
        List<List<MergedRecord>> chunks = new ArrayList<>(records.size() / batchSize + 1);
        for (int from = 0; from < records.size(); from += batchSize) {
            chunks.add(records.subList(from, Math.min(records.size(), from + batchSize)));
        }
        return chunks;
    }
}
