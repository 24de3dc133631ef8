package io.github.camelbundle.merge;

import io.github.camelbundle.model.InventoryRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The latest inventory record per product: the table side of the join. An update whose version is
 * not higher than the one held is stale (Kafka delivers per partition in order, but producers and
 * replays do not promise it) and is ignored.
 */
public class InventoryTable {

    private final Map<String, InventoryRecord> latest = new ConcurrentHashMap<>();
    /** Per partition, the highest offset of a batch the join has taken in (every topic of the batch). */
    private final Map<TopicPartition, Long> takenIn = new ConcurrentHashMap<>();

    /** Applies an update; returns true when it became the product's current record. */
    public boolean apply(InventoryRecord update) {
        boolean[] accepted = {false};
        latest.compute(update.productId(), (id, current) -> {
            if (current != null && current.version() >= update.version()) {
                return current;
            }
            accepted[0] = true;
            return update;
        });
        return accepted[0];
    }

    /** Called by the join once a batch's inventory records are applied: the table holds them. */
    void tookIn(Map<TopicPartition, Long> lastOffsets) {
        lastOffsets.forEach((tp, offset) -> takenIn.merge(tp, offset, Math::max));
    }

    /**
     * Whether every record up to these offsets (per partition, the last one) has been taken into the
     * table: see InventoryReadToItsEnd.
     */
    public boolean holds(Map<TopicPartition, Long> lastOffsets) {
        for (Map.Entry<TopicPartition, Long> e : lastOffsets.entrySet()) {
            if (takenIn.getOrDefault(e.getKey(), -1L) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** A tombstone: the product is no longer known (its events wait, then expire as NO_INVENTORY). */
    public void remove(String productId) {
        latest.remove(productId);
    }

    public InventoryRecord get(String productId) {
        return latest.get(productId);
    }

    public int size() {
        return latest.size();
    }
}
