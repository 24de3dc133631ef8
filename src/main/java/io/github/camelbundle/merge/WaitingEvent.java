package io.github.camelbundle.merge;

/**
 * One row of the wait store: a customer event waiting for its product's inventory, its state (see
 * {@link WaitStore}), when its wait (or its claim) ends, and how often its wait was extended.
 */
public record WaitingEvent(String productId, String eventId, String state, long deadlineMs, int extensions,
                           ParkedEvent parked) {

    /** The same event after a claim that succeeded. */
    WaitingEvent claimed(String newState, long newDeadlineMs, boolean extended) {
        return new WaitingEvent(productId, eventId, newState, newDeadlineMs, extensions + (extended ? 1 : 0), parked);
    }
}
