package io.github.camelbundle.merge;

import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.SourceRef;

/**
 * A valid customer event on its way to the join, with where it was read from and how often it has
 * been replayed from the dead-letter topic already (the loop guard's count).
 */
public record PendingEvent(CustomerEvent event, SourceRef source, int replayCount) {

    public PendingEvent(CustomerEvent event, SourceRef source) {
        this(event, source, 0);
    }
}
