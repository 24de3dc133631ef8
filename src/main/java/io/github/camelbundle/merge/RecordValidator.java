package io.github.camelbundle.merge;

import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.MergedRecord;
import java.util.Currency;

/**
 * The contract's field rules. Each check returns {@code null} when the record is valid, otherwise a
 * message that names the field and the rule ("quantity: must be an integer 1-1000, was 0"), which is
 * what a person reading the dead-letter topic or an API rejection needs.
 */
public final class RecordValidator {

    private RecordValidator() {
    }

    public static String violation(CustomerEvent e) {
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

    public static String violation(InventoryRecord r) {
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
        String customer = violation(m.customer());
        if (customer != null) {
            return "customer." + customer;
        }
        String product = violation(m.product());
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
