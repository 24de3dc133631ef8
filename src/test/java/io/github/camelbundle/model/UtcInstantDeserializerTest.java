package io.github.camelbundle.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written Instant parsing must read exactly what jackson-datatype-jsr310 reads, and fail where it fails. */
class UtcInstantDeserializerTest {

    private static final ObjectMapper LIBRARY = Json.withLibraryInstants();

    @Test
    void everyInstantTheLibraryWritesIsReadToTheSameValueByTheFastPath() throws Exception {
        Random random = new Random(7);
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("2024-02-29T12:00:00.5Z")));
        for (int i = 0; i < 20_000; i++) {
            long second = random.nextLong(Instant.parse("9999-12-31T23:59:59Z").getEpochSecond()
                    - Instant.parse("0000-01-01T00:00:00Z").getEpochSecond()) + Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
            // every precision from whole seconds to nanoseconds
            int digits = i % 10;
            int unit = (int) Math.pow(10, 9 - digits);
            int nanos = random.nextInt((int) Math.pow(10, digits)) * unit;
            instants.add(Instant.ofEpochSecond(second, nanos));
        }
        for (Instant instant : instants) {
            String text = LIBRARY.writeValueAsString(instant);
            assertNotNull(UtcInstantDeserializer.parseUtc(text.substring(1, text.length() - 1)), text);
            assertEquals(instant, Json.MAPPER.readValue(text, Instant.class), text);
        }
    }

    @Test
    void whatTheFastPathLeavesAloneIsReadOrRefusedExactlyAsTheLibraryDoes() throws Exception {
        List<String> texts = List.of(
                // valid, other shapes: the library reads them
                "\"2026-11-21T13:47:01+01:00\"", "\"2026-11-21T13:47:01.5-02:30\"", "\"2026-11-21t13:47:01z\"",
                "\"2026-11-21T24:00:00Z\"", "\"2016-12-31T23:59:60Z\"", "1700000000", "1700000000.123",
                "\"1700000000\"", "\"+12026-11-21T13:47:01Z\"", "\"2026-11-21T13:47Z\"",
                // not dates: the library refuses them, with its message
                "\"2026-02-29T00:00:00Z\"", "\"2026-02-30T10:00:00Z\"", "\"2026-13-01T00:00:00Z\"",
                "\"2026-11-21T13:60:00Z\"", "\"2026-11-21T13:47:01.Z\"", "\"2026-11-21T13:47:01.1234567890Z\"",
                "\"2026-11-21 13:47:01Z\"", "\"2026-11-2aT13:47:01Z\"", "\"2026-11-21T13:47:01\"", "\"\"",
                "\"yesterday\"", "true", "[]", "{}", "null");
        for (String text : texts) {
            String expected = outcome(LIBRARY, text);
            assertEquals(expected, outcome(Json.MAPPER, text), text);
        }
        assertNull(UtcInstantDeserializer.parseUtc("2026-02-30T10:00:00Z"));
        assertNull(UtcInstantDeserializer.parseUtc("2026-11-21T13:47:01+01:00"));
        assertEquals(Instant.parse("2026-11-21T13:47:01.120Z"), UtcInstantDeserializer.parseUtc("2026-11-21T13:47:01.12Z"));
    }

    @Test
    void theBundlesMapperReadsInstantsWithTheFastPath() throws Exception {
        DefaultDeserializationContext ctxt = ((DefaultDeserializationContext) Json.MAPPER.getDeserializationContext())
                .createDummyInstance(Json.MAPPER.getDeserializationConfig());
        assertInstanceOf(UtcInstantDeserializer.class, ctxt.findRootValueDeserializer(ctxt.constructType(Instant.class)));
        DefaultDeserializationContext library = ((DefaultDeserializationContext) LIBRARY.getDeserializationContext())
                .createDummyInstance(LIBRARY.getDeserializationConfig());
        Object reference = library.findRootValueDeserializer(library.constructType(Instant.class));
        assertFalse(reference instanceof UtcInstantDeserializer, "the reference mapper uses the library's own");
    }

    @Test
    void aRecordBindsItsInstantsThroughTheFastPath() throws Exception {
        String json = "{\"eventId\":\"e1\",\"customerEventTime\":\"2026-11-21T13:47:01.123456Z\","
                + "\"mergedAt\":\"2026-11-21T13:47:01.2Z\"}";
        MergedRecord merged = Json.MAPPER.readValue(json, MergedRecord.class);
        assertEquals(Instant.parse("2026-11-21T13:47:01.123456Z"), merged.customerEventTime());
        assertEquals(Instant.parse("2026-11-21T13:47:01.200Z"), merged.mergedAt());
    }

    /** The value read, or the error's type and message. */
    private static String outcome(ObjectMapper mapper, String json) {
        try {
            return "value " + mapper.readValue(json, Instant.class);
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage().replaceAll("\\(through reference chain.*", "");
        }
    }
}
