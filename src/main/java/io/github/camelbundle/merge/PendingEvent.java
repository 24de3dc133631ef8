package io.github.camelbundle.merge;

import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.SourceRef;

/** A valid customer event on its way to the join, with where it was read from. */
public record PendingEvent(CustomerEvent event, SourceRef source) {
}
