package io.github.camelbundle.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;

/**
 * The one JSON mapper of the bundle: strict about the contract's types (no "12" for 12, no 1.5 for
 * an integer), exact with decimals, ISO-8601 for instants. Thread-safe once built.
 */
public final class Json {

    public static final ObjectMapper MAPPER = build();

    private Json() {
    }

    private static ObjectMapper build() {
        return strictAbout(JsonMapper.builder()
                .addModule(new JavaTimeModule())
                // registered after JavaTimeModule, so it takes precedence for Instant
                .addModule(new SimpleModule("utc-instants").addDeserializer(Instant.class, new UtcInstantDeserializer())
                        .addSerializer(Instant.class, new UtcInstantSerializer())));
    }

    /** The same mapper with jackson-datatype-jsr310's own Instant parsing and writing: what the fast ones must equal. */
    static ObjectMapper withLibraryInstants() {
        return strictAbout(JsonMapper.builder().addModule(new JavaTimeModule()));
    }

    private static ObjectMapper strictAbout(JsonMapper.Builder builder) {
        JsonMapper mapper = builder
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // an enum is one of its names: 2 (or "2") is not GOLD
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // a quoted number is not an integer, and "" is not a missing value
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Enum).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        return mapper;
    }
}
