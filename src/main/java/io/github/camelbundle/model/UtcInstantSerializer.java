package io.github.camelbundle.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.datatype.jsr310.ser.InstantSerializer;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes an instant of the years 0000-9999 as {@link Instant#toString()} does
 * ({@code 2026-11-21T13:47:01.123456Z}: no fraction, or 3, 6 or 9 digits), straight into the
 * generator; any other year, or a mapper that writes dates as numbers, goes to jackson-datatype-jsr310's
 * {@link InstantSerializer}, so the text is always the library's (no model field has a {@code @JsonFormat}
 * of its own, which this writer would not see). Written by hand because the library formats through the
 * JDK's DateTimeFormatter, a large share of the pipeline's garbage (docs/benchmarks.md); the counterpart of
 * {@link UtcInstantDeserializer}.
 */
final class UtcInstantSerializer extends StdScalarSerializer<Instant> {

    /** 0000-01-01T00:00:00Z and the first second of 10000, in epoch seconds. */
    private static final long FIRST = -62_167_219_200L;
    private static final long END = 253_402_300_800L;
    private static final int SECONDS_PER_DAY = 86_400;

    UtcInstantSerializer() {
        super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        long seconds = value.getEpochSecond();
        if (seconds < FIRST || seconds >= END || provider.isEnabled(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)) {
            InstantSerializer.INSTANCE.serialize(value, gen, provider);
            return;
        }
        char[] text = new char[30];
        int length = format(seconds, value.getNano(), text);
        gen.writeString(text, 0, length);
    }

    /** Writes the instant into {@code out} (30 chars at least); returns the length. */
    static int format(long epochSecond, int nano, char[] out) {
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(epochSecond, SECONDS_PER_DAY));
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        digits(out, 0, date.getYear(), 4);
        out[4] = '-';
        digits(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        int i = 19;
        if (nano != 0) {
            out[i++] = '.';
            if (nano % 1_000_000 == 0) {
                digits(out, i, nano / 1_000_000, 3);
                i += 3;
            } else if (nano % 1_000 == 0) {
                digits(out, i, nano / 1_000, 6);
                i += 6;
            } else {
                digits(out, i, nano, 9);
                i += 9;
            }
        }
        out[i++] = 'Z';
        return i;
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int k = at + width - 1; k >= at; k--) {
            out[k] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
