package io.github.camelbundle.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written Instant writing must produce exactly jackson-datatype-jsr310's text (Instant.toString). */
class UtcInstantSerializerTest {

    private static final ObjectMapper LIBRARY = Json.withLibraryInstants();
    private static final long YEAR_0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long YEAR_10000 = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond() + 1;

    @Test
    void theBundlesMapperWritesInstantsWithTheHandWrittenSerializer() throws Exception {
        assertInstanceOf(UtcInstantSerializer.class,
                Json.MAPPER.getSerializerProviderInstance().findValueSerializer(Instant.class));
        char[] text = new char[30];
        int length = UtcInstantSerializer.format(Instant.parse("0001-02-03T04:05:06.000007Z").getEpochSecond(), 7_000, text);
        assertEquals("0001-02-03T04:05:06.000007Z", new String(text, 0, length));
    }

    @Test
    void everyInstantIsWrittenAsTheLibraryWritesIt() throws Exception {
        Random random = new Random(11);
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.ofEpochSecond(YEAR_0),
                Instant.ofEpochSecond(YEAR_10000 - 1, 999_999_999), Instant.parse("2024-02-29T23:59:59.000001Z"),
                Instant.ofEpochSecond(-1, 1), Instant.ofEpochSecond(-86_401, 999_000_000),
                // outside 0000-9999: the library's own text (+10000-..., -0001-...)
                Instant.ofEpochSecond(YEAR_10000), Instant.ofEpochSecond(YEAR_0 - 1, 5), Instant.MIN, Instant.MAX));
        for (int i = 0; i < 200_000; i++) {
            long second = YEAR_0 + random.nextLong(YEAR_10000 - YEAR_0);
            // every precision from whole seconds to nanoseconds, and trailing zeros of each
            int digits = i % 10;
            int unit = (int) Math.pow(10, 9 - digits);
            instants.add(Instant.ofEpochSecond(second, random.nextInt((int) Math.pow(10, digits)) * unit));
        }
        for (Instant instant : instants) {
            String expected = LIBRARY.writeValueAsString(instant);
            assertEquals(expected, Json.MAPPER.writeValueAsString(instant));
            if (instant.getEpochSecond() >= YEAR_0 && instant.getEpochSecond() < YEAR_10000) {
                assertEquals("\"" + instant + "\"", expected);
            }
        }
    }

    @Test
    void aMergedRecordIsWrittenAsTheLibraryWritesIt() throws Exception {
        Instant time = Instant.parse("2026-11-21T13:47:01.123456Z");
        CustomerEvent c = new CustomerEvent("evt-1", "C0000001", "Ada", "ada@example.com", Tier.GOLD, Region.EU, "P-1", 2,
                time, Map.of("channel", "web"));
        InventoryRecord p = new InventoryRecord("P-1", "SKU-1", "Kettle", "Kitchen", new BigDecimal("19.99"), "EUR", 7,
                "WH-1", 3L, time.plusMillis(5), Map.of());
        MergedRecord merged = MergedRecord.of(c, p, new SourceRef("customer-data", 1, 42L), time.plusNanos(7));
        assertEquals(LIBRARY.writeValueAsString(merged), Json.MAPPER.writeValueAsString(merged));
    }
}
