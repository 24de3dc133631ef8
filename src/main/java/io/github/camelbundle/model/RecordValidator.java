package io.github.camelbundle.model;

import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.MergedRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;

/**
 * The contract's field rules. Each check returns {@code null} when the record is valid, otherwise a
 * message that names the field and the rule ("quantity: must be an integer 1-1000, was 0"), which is
 * what a person reading the dead-letter topic or an API rejection needs. The merge's checks add explicit
 * limits to the contract's rules, so that a record it lets through fits every column and key after it
 * (a 300-character productId used to wedge the parking aggregator: its key column holds 255).
 */
public final class RecordValidator {

    /** Ids (customerId, productId, sku, category, warehouse): the parking key productId|eventId is then at most 129 characters (its column holds 255). */
    public static final int ID_CHARS = 64;
    /** Names: within the store's 256-character text columns. */
    public static final int NAME_CHARS = 200;
    /** The longest address RFC 5321 lets through. */
    public static final int EMAIL_CHARS = 254;
    /** Price: order_value is NUMERIC(38, 12), and price x 1000 must fit it with room for the summary's sums. */
    public static final int PRICE_INTEGER_DIGITS = 15;
    public static final int PRICE_DECIMALS = 12;
    /** How far ahead of now (epoch microseconds, the generator's scheme) a version may be. */
    private static final long VERSION_AHEAD_MICROS = 86_400_000_000L;
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private RecordValidator() {
    }

    /** The highest version accepted now: one day ahead of the current time in epoch microseconds. */
    static long maxVersion() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000 + VERSION_AHEAD_MICROS;
    }

    private static String length(String field, String value, int max) {
        if (value.isEmpty() || value.length() > max) {
            return field + ": must be 1-" + max + " characters, was " + value.length();
        }
        // PostgreSQL text cannot hold it
        return value.indexOf('\0') >= 0 ? field + ": must not contain a NUL character" : null;
    }

    private static String price(BigDecimal price) {
        // cheap at any exponent: precision - scale as a long (it overflows an int at 1e2147483647)
        BigDecimal p = price.stripTrailingZeros();
        if ((long) p.precision() - p.scale() > PRICE_INTEGER_DIGITS || p.scale() > PRICE_DECIMALS) {
            return "price: at most " + PRICE_INTEGER_DIGITS + " digits before the point and " + PRICE_DECIMALS
                    + " after, was " + price;
        }
        return null;
    }

    private static String instant(String field, Instant value) {
        return value.isBefore(EARLIEST) || value.isAfter(LATEST) ? field + ": must be within years 1-9999, was " + value : null;
    }

    /**
     * A customer event as the merge takes it in: the contract's rules plus the limits every later step
     * can hold (columns, the parking key productId|eventId); see the constants.
     */
    public static String violation(CustomerEvent e) {
        String contract = contractViolation(e);
        if (contract != null) {
            return contract;
        }
        String reason = length("customerId", e.customerId(), ID_CHARS);
        if (reason == null) {
            reason = length("productId", e.productId(), ID_CHARS);
        }
        if (reason == null) {
            reason = length("name", e.name(), NAME_CHARS);
        }
        if (reason == null) {
            reason = length("email", e.email(), EMAIL_CHARS);
        }
        return reason != null ? reason : instant("eventTime", e.eventTime());
    }

    /** An inventory record as the merge takes it in: the contract's rules plus the limits (see the constants). */
    public static String violation(InventoryRecord r) {
        String contract = contractViolation(r);
        if (contract != null) {
            return contract;
        }
        String reason = length("productId", r.productId(), ID_CHARS);
        if (reason == null) {
            reason = length("sku", r.sku(), ID_CHARS);
        }
        if (reason == null) {
            reason = length("name", r.name(), NAME_CHARS);
        }
        if (reason == null) {
            reason = length("category", r.category(), ID_CHARS);
        }
        if (reason == null) {
            reason = length("warehouse", r.warehouse(), ID_CHARS);
        }
        if (reason == null) {
            reason = price(r.price());
        }
        if (reason == null && r.version() > maxVersion()) {
            return "version: must be 0 - " + maxVersion() + " (epoch microseconds one day ahead: a higher one would "
                    + "make every later update of the product look stale), was " + r.version();
        }
        return reason != null ? reason : instant("eventTime", r.eventTime());
    }

    /** The contract's rules for a customer event alone (what the analytics API checks inside a merged record). */
    static String contractViolation(CustomerEvent e) {
        if (e.eventId() == null || e.eventId().isEmpty() || e.eventId().length() > 64) {
            return "eventId: required, 1-64 characters";
        }
        String missing = firstMissing(
                "customerId", e.customerId(), "name", e.name(), "email", e.email(), "tier", e.tier(),
                "region", e.region(), "productId", e.productId(), "quantity", e.quantity(),
                "eventTime", e.eventTime());
        if (missing != null) {
            return missing + ": required";
        }
        if (e.quantity() < 1 || e.quantity() > 1000) {
            return "quantity: must be an integer 1-1000, was " + e.quantity();
        }
        return null;
    }

    /** The contract's rules for an inventory record alone. */
    static String contractViolation(InventoryRecord r) {
        String missing = firstMissing(
                "productId", r.productId(), "sku", r.sku(), "name", r.name(), "category", r.category(),
                "price", r.price(), "currency", r.currency(), "stockLevel", r.stockLevel(),
                "warehouse", r.warehouse(), "version", r.version(), "eventTime", r.eventTime());
        if (missing != null) {
            return missing + ": required";
        }
        if (r.productId().isEmpty()) {
            return "productId: must not be empty";
        }
        if (r.price().signum() < 0) {
            // toString, not toPlainString: "-1e999999999" would be spelled out in a billion digits
            return "price: must be >= 0, was " + r.price();
        }
        if (!isCurrencyCode(r.currency())) {
            return "currency: must be an ISO 4217 code, was '" + r.currency() + "'";
        }
        if (r.stockLevel() < 0) {
            return "stockLevel: must be >= 0, was " + r.stockLevel();
        }
        if (r.version() < 0) {
            return "version: must be >= 0, was " + r.version();
        }
        return null;
    }

    /** What the analytics API checks before it stores a merged record. */
    public static String violation(MergedRecord m) {
        String missing = firstMissing(
                "eventId", m.eventId(), "customer", m.customer(), "product", m.product(),
                "quantity", m.quantity(), "orderValue", m.orderValue(), "fulfillable", m.fulfillable(),
                "inventoryVersion", m.inventoryVersion(), "customerEventTime", m.customerEventTime(),
                "mergedAt", m.mergedAt(), "source", m.source());
        if (missing != null) {
            return missing + ": required";
        }
        if (m.eventId().isEmpty() || m.eventId().length() > 64) {
            return "eventId: required, 1-64 characters";
        }
        // the contract's rules only: the API's own limits are its columns' (StoreLimits)
        String customer = contractViolation(m.customer());
        if (customer != null) {
            return "customer." + customer;
        }
        String product = contractViolation(m.product());
        if (product != null) {
            return "product." + product;
        }
        if (!m.eventId().equals(m.customer().eventId())) {
            return "eventId: must equal customer.eventId";
        }
        if (!m.quantity().equals(m.customer().quantity())) {
            return "quantity: must equal customer.quantity";
        }
        if (m.orderValue().compareTo(m.product().price().multiply(java.math.BigDecimal.valueOf(m.quantity()))) != 0) {
            return "orderValue: must equal product.price x quantity";
        }
        if (m.source().topic() == null || m.source().partition() == null || m.source().partition() < 0
                || m.source().offset() == null || m.source().offset() < 0) {
            return "source: topic, partition >= 0 and offset >= 0 required";
        }
        return null;
    }

    private static boolean isCurrencyCode(String code) {
        if (code.length() != 3) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Pairs of (field name, value): the name of the first null value, or null when all are present. */
    private static String firstMissing(Object... nameValuePairs) {
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            if (nameValuePairs[i + 1] == null) {
                return (String) nameValuePairs[i];
            }
        }
        return null;
    }
}
