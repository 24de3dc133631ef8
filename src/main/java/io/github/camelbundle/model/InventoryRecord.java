package io.github.camelbundle.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** A stock record from the {@code inventory-data} topic; the latest per product forms the inventory table. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InventoryRecord(
        String productId,
        String sku,
        String name,
        String category,
        BigDecimal price,
        String currency,
        Integer stockLevel,
        String warehouse,
        Long version,
        Instant eventTime,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
}
