package io.github.camelbundle.merge;

import io.github.camelbundle.model.InventoryRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest inventory record per product: the table side of the join. An update whose version is
 * not higher than the one held is stale (Kafka delivers per partition in order, but producers and
 * replays do not promise it) and is ignored.
 */
public class InventoryTable {

    private final Map<String, InventoryRecord> latest = new ConcurrentHashMap<>();

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

    public InventoryRecord get(String productId) {
        return latest.get(productId);
    }

    public int size() {
        return latest.size();
    }
}
