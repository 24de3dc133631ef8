package io.github.camelbundle.analytics;

/**
 * The one place where H2 and PostgreSQL differ for the store: how an insert skips a record whose
 * event id is already stored (the update count is then 0, which is how duplicates are counted), how
 * the summary folder adds a set of product rows in one statement, and how text sorts.
 */
enum StoreDialect {
    H2("INSERT INTO merged_records (" + Columns.LIST + ") SELECT " + Columns.PARAMS
            + " WHERE NOT EXISTS (SELECT 1 FROM merged_records WHERE event_id = ?)",
            "MERGE INTO summary_products t USING " + ProductRows.SOURCE + " ON t.product_id = d.product_id "
                    + "WHEN MATCHED THEN UPDATE SET " + ProductRows.sums("t", "d")
                    + " WHEN NOT MATCHED THEN INSERT (" + ProductRows.COLUMNS + ") VALUES (d.product_id, d.quantity, "
                    + "d.records, d.inventory_version, d.stock_level)",
            ""),
    // ON CONFLICT rather than MERGE: MERGE needs PostgreSQL 15, this works from 9.5
    POSTGRESQL("INSERT INTO merged_records (" + Columns.LIST + ") VALUES (" + Columns.PARAMS
            + ") ON CONFLICT (event_id) DO NOTHING",
            "INSERT INTO summary_products AS t (" + ProductRows.COLUMNS + ") SELECT * FROM " + ProductRows.SOURCE
                    + " ON CONFLICT (product_id) DO UPDATE SET " + ProductRows.sums("t", "EXCLUDED"),
            " COLLATE \"C\"");

    final String insertIfAbsent;
    /**
     * Adds one row per product to summary_products, inserting the products it has no row for; five
     * array parameters (product ids, quantities, records, inventory versions, stock levels), one
     * element per product, no product twice.
     */
    final String addProducts;
    /**
     * Appended to a text column in ORDER BY: code-point order, as Java's String order (the summary
     * merges SQL-ordered rows with pending ones in Java). H2 compares code points already.
     */
    final String codePointOrder;

    StoreDialect(String insertIfAbsent, String addProducts, String codePointOrder) {
        this.insertIfAbsent = insertIfAbsent;
        this.addProducts = addProducts;
        this.codePointOrder = codePointOrder;
    }

    /** H2 repeats the event id as the NOT EXISTS parameter. */
    boolean repeatsEventId() {
        return this == H2;
    }

    static StoreDialect of(String databaseProductName) {
        return databaseProductName.toLowerCase().contains("postgres") ? POSTGRESQL : H2;
    }

    /** The product rows' parts shared by both dialects; the same stock rule as SummaryDelta.addProduct. */
    private static final class ProductRows {
        static final String COLUMNS = "product_id, quantity, records, inventory_version, stock_level";
        // portable array casts: both databases read "BIGINT ARRAY" as bigint[]
        static final String SOURCE = "(SELECT * FROM UNNEST(CAST(? AS VARCHAR ARRAY), CAST(? AS BIGINT ARRAY), "
                + "CAST(? AS BIGINT ARRAY), CAST(? AS BIGINT ARRAY), CAST(? AS BIGINT ARRAY)) AS u(" + COLUMNS + ")) d";

        /** SET clause: {@code old} is the stored row, {@code add} the folded one (every right side reads the old row). */
        static String sums(String old, String add) {
            return "quantity = " + old + ".quantity + " + add + ".quantity, records = " + old + ".records + " + add
                    + ".records, stock_level = CASE WHEN " + add + ".inventory_version > " + old + ".inventory_version THEN "
                    + add + ".stock_level WHEN " + add + ".inventory_version = " + old + ".inventory_version AND " + add
                    + ".stock_level < " + old + ".stock_level THEN " + add + ".stock_level ELSE " + old + ".stock_level END, "
                    + "inventory_version = CASE WHEN " + add + ".inventory_version > " + old + ".inventory_version THEN "
                    + add + ".inventory_version ELSE " + old + ".inventory_version END";
        }
    }

    private static final class Columns {
        static final String LIST = "event_id, customer_id, product_id, region, tier, quantity, order_value, currency, "
                + "fulfillable, stock_level, inventory_version, customer_event_time, merged_at, stored_at, latency_ms, "
                + "source_topic, source_partition, source_offset, payload";
        static final String PARAMS = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";
    }
}
