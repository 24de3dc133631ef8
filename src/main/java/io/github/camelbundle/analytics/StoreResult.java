package io.github.camelbundle.analytics;

import java.util.Map;

/**
 * What one store call did: records newly stored, records that were there already (the same customer
 * event again), and records whose event id is stored with a different customer event (by their index
 * in the call's list, with the reason): those are refused, never counted as duplicates.
 */
public record StoreResult(int stored, int duplicates, Map<Integer, String> conflicts) {

    public StoreResult(int stored, int duplicates) {
        this(stored, duplicates, Map.of());
    }
}
