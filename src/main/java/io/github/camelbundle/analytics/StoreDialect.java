package io.github.camelbundle.analytics;

/**
 * The one place where H2 and PostgreSQL differ for the store: how an insert skips a record whose
 * event id is already stored (the update count is then 0, which is how duplicates are counted), and
 * how text sorts.
 */
enum StoreDialect {
    H2("INSERT INTO merged_records (" + Columns.LIST + ") SELECT " + Columns.PARAMS
            + " WHERE NOT EXISTS (SELECT 1 FROM merged_records WHERE event_id = ?)", ""),
    POSTGRESQL("INSERT INTO merged_records (" + Columns.LIST + ") VALUES (" + Columns.PARAMS
            + ") ON CONFLICT (event_id) DO NOTHING", " COLLATE \"C\"");

    final String insertIfAbsent;
    /**
     * Appended to a text column in ORDER BY: code-point order, as Java's String order (the summary
     * merges SQL-ordered rows with pending ones in Java). H2 compares code points already.
     */
    final String codePointOrder;

    StoreDialect(String insertIfAbsent, String codePointOrder) {
        this.insertIfAbsent = insertIfAbsent;
        this.codePointOrder = codePointOrder;
    }

    /** H2 repeats the event id as the NOT EXISTS parameter. */
    boolean repeatsEventId() {
        return this == H2;
    }

    static StoreDialect of(String databaseProductName) {
        return databaseProductName.toLowerCase().contains("postgres") ? POSTGRESQL : H2;
    }

    private static final class Columns {
        static final String LIST = "event_id, customer_id, product_id, region, tier, quantity, order_value, currency, "
                + "fulfillable, stock_level, inventory_version, customer_event_time, merged_at, stored_at, latency_ms, "
                + "source_topic, source_partition, source_offset, payload";
        static final String PARAMS = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";
    }
}
