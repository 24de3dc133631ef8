package io.github.camelbundle.merge;

import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.SourceRef;
import java.time.Instant;

/** A customer event waiting for its product's inventory, as stored (JSON) in the parking repository. */
public record ParkedEvent(CustomerEvent event, SourceRef source, int replayCount, Instant parkedAt) {
}
