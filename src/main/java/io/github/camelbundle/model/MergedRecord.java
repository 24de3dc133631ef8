package io.github.camelbundle.model;

import java.math.BigDecimal;
import java.time.Instant;

/** A customer event joined with the inventory record of its product: what the analytics API stores. */
public record MergedRecord(
        String eventId,
        CustomerEvent customer,
        InventoryRecord product,
        Integer quantity,
        BigDecimal orderValue,
        Boolean fulfillable,
        Long inventoryVersion,
        Instant customerEventTime,
        Instant mergedAt,
        SourceRef source) {

    /** Joins an event with the inventory record in force: order value is exact, currency is the product's. */
    public static MergedRecord of(CustomerEvent event, InventoryRecord stock, SourceRef source, Instant now) {
        return new MergedRecord(
                event.eventId(),
                event,
                stock,
                event.quantity(),
                stock.price().multiply(BigDecimal.valueOf(event.quantity())),
                stock.stockLevel() >= event.quantity(),
                stock.version(),
                event.eventTime(),
                now,
                source);
    }
}
