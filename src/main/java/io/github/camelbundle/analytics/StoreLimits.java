package io.github.camelbundle.analytics;

import io.github.camelbundle.model.MergedRecord;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * What the store's columns hold (db/migration), checked before a record is stored: a record the
 * contract's rules let through but a column cannot take is rejected with its reason, instead of
 * failing the whole batch with a 500.
 */
final class StoreLimits {

    private static final int TEXT_CHARS = 256;
    private static final int PAYLOAD_CHARS = 1_000_000;
    /** order_value is NUMERIC(38, 12). */
    private static final int INTEGER_DIGITS = 26;
    private static final int DECIMAL_DIGITS = 12;
    /** Years 1-9999: what both databases and java.sql.Timestamp take (ISO-8601 without expanded years). */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private StoreLimits() {
    }

    /** Null when the store can hold the record and its payload, otherwise the field and the limit. */
    static String violation(MergedRecord r, String payload) {
        String reason = text("eventId", r.eventId());
        if (reason == null) {
            reason = text("customer.customerId", r.customer().customerId());
        }
        if (reason == null) {
            reason = text("product.productId", r.product().productId());
        }
        if (reason == null) {
            reason = text("source.topic", r.source().topic());
        }
        if (reason == null) {
            reason = instant("customerEventTime", r.customerEventTime());
        }
        if (reason == null) {
            reason = instant("mergedAt", r.mergedAt());
        }
        if (reason == null) {
            reason = orderValue(r.orderValue());
        }
        if (reason == null && payload.length() > PAYLOAD_CHARS) {
            reason = "record: at most " + PAYLOAD_CHARS + " characters as JSON, was " + payload.length();
        }
        return reason;
    }

    private static String text(String field, String value) {
        if (value.length() > TEXT_CHARS) {
            return field + ": at most " + TEXT_CHARS + " characters, was " + value.length();
        }
        // PostgreSQL text cannot hold it
        if (value.indexOf('\0') >= 0) {
            return field + ": must not contain a NUL character";
        }
        return null;
    }

    private static String instant(String field, Instant value) {
        return value.isBefore(EARLIEST) || value.isAfter(LATEST) ? field + ": must be within years 1-9999, was " + value : null;
    }

    private static String orderValue(BigDecimal value) {
        // cheap at any exponent: the digits are bounded by the parser, the exponent is not (hence long:
        // precision - scale overflows an int at 1e2147483647)
        BigDecimal v = value.stripTrailingZeros();
        if ((long) v.precision() - v.scale() > INTEGER_DIGITS || v.scale() > DECIMAL_DIGITS) {
            return "orderValue: at most " + INTEGER_DIGITS + " digits before the point and " + DECIMAL_DIGITS
                    + " after, was " + value;
        }
        return null;
    }
}
