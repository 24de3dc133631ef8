package io.github.camelbundle.merge;

/**
 * What goes into the parking aggregator: an event to park ({@code json} set), or a release signal for
 * a parked event whose product's inventory just arrived ({@code json} null).
 */
public record ParkingEntry(String productId, String eventId, String json) {

    /** The aggregator's correlation key: one group per waiting event, findable by product. */
    public String key() {
        return productId + "|" + eventId;
    }
}
