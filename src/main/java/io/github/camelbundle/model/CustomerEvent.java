package io.github.camelbundle.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * A customer event from the {@code customer-data} topic. Boxed types so that a missing field is
 * seen as {@code null} by {@link io.github.camelbundle.model.RecordValidator} rather than as 0.
 * Unknown fields are kept in {@code extra} and written back unchanged (the contract keeps them).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CustomerEvent(
        String eventId,
        String customerId,
        String name,
        String email,
        Tier tier,
        Region region,
        String productId,
        Integer quantity,
        Instant eventTime,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
}
