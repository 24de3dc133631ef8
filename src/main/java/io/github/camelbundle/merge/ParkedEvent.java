package io.github.camelbundle.merge;

import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.SourceRef;
import java.time.Instant;

/**
 * A customer event waiting for its product's inventory, as stored (JSON) in the wait store (merge_waiting.payload);
 * {@code extensions} counts how often its wait was extended because the pipeline could not have seen
 * the inventory yet (consumption stopped, or the inventory topic not read up to its end).
 */
public record ParkedEvent(CustomerEvent event, SourceRef source, int replayCount, Instant parkedAt, int extensions) {
}
