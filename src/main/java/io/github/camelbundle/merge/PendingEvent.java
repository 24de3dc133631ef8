package io.github.camelbundle.merge;

import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.SourceRef;

/**
 * A valid customer event on its way to the join, with where it was read from, how often it has
 * been replayed from the dead-letter topic already (the loop guard's count), and how many max-wait
 * periods it has already waited on another instance before being handed over here.
 */
public record PendingEvent(CustomerEvent event, SourceRef source, int replayCount, int waitExtensions) {

    public PendingEvent(CustomerEvent event, SourceRef source) {
        this(event, source, 0, 0);
    }

    public PendingEvent(CustomerEvent event, SourceRef source, int replayCount) {
        this(event, source, replayCount, 0);
    }
}
