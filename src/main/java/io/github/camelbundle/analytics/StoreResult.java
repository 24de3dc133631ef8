package io.github.camelbundle.analytics;

/** What one store call did: records newly stored, and records that were there already. */
public record StoreResult(int stored, int duplicates) {
}
