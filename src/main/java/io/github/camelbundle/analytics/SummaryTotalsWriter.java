package io.github.camelbundle.analytics;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adds a delta into the totals tables (V3). Only the folder (holding the summary_state lock) and the
 * backfill migration call it, so an UPDATE that finds no row can INSERT it without a race: plain
 * portable SQL, the same on H2 and PostgreSQL, except the product rows (one upsert statement per
 * dialect, see {@link StoreDialect#addProducts}).
 */
final class SummaryTotalsWriter {

    /** Throughput and latency rows are read for the last hour only; a little margin for clock skew. */
    static final long KEEP_SECONDS = 3600 + 120;

    private SummaryTotalsWriter() {
    }

    static void apply(Connection c, SummaryDelta d) throws SQLException {
        List<Object[]> totals = new ArrayList<>();
        totals.add(new Object[] {d.records, BigDecimal.ZERO, "records", ""});
        totals.add(new Object[] {d.fulfillable, BigDecimal.ZERO, "fulfillable", ""});
        d.currencyRecords.forEach((k, v) -> totals.add(new Object[] {v, d.orderValue.get(k), "currency", k}));
        d.regions.forEach((k, v) -> totals.add(new Object[] {v, BigDecimal.ZERO, "region", k}));
        d.tiers.forEach((k, v) -> totals.add(new Object[] {v, BigDecimal.ZERO, "tier", k}));
        upsert(c, "UPDATE summary_totals SET records = records + ?, amount = amount + ? WHERE kind = ? AND item = ?",
                "INSERT INTO summary_totals (records, amount, kind, item) VALUES (?, ?, ?, ?)", totals);

        addProducts(c, d.products);

        List<Object[]> seconds = new ArrayList<>();
        d.seconds.forEach((k, v) -> seconds.add(new Object[] {v, k}));
        upsert(c, "UPDATE summary_seconds SET records = records + ? WHERE epoch_second = ?",
                "INSERT INTO summary_seconds (records, epoch_second) VALUES (?, ?)", seconds);

        List<Object[]> latency = new ArrayList<>();
        d.latency.forEach((m, buckets) -> buckets.forEach((b, v) -> latency.add(new Object[] {v, m, b})));
        upsert(c, "UPDATE summary_latency SET records = records + ? WHERE epoch_minute = ? AND bucket = ?",
                "INSERT INTO summary_latency (records, epoch_minute, bucket) VALUES (?, ?, ?)", latency);
    }

    /**
     * The product rows in one statement: a fold touches up to one row per product of the catalog, and one
     * UPDATE per row was a pause the pipeline's loop had to catch up on (docs/benchmarks.md). The small
     * tables keep the portable UPDATE-then-INSERT.
     */
    private static void addProducts(Connection c, Map<String, long[]> products) throws SQLException {
        if (products.isEmpty()) {
            return;
        }
        int n = products.size();
        Object[] ids = new Object[n];
        Object[][] values = new Object[4][n];
        int i = 0;
        for (Map.Entry<String, long[]> e : products.entrySet()) {
            ids[i] = e.getKey();
            long[] p = e.getValue();
            values[0][i] = p[SummaryDelta.QUANTITY];
            values[1][i] = p[SummaryDelta.RECORDS];
            values[2][i] = p[SummaryDelta.VERSION];
            values[3][i] = p[SummaryDelta.STOCK];
            i++;
        }
        StoreDialect dialect = StoreDialect.of(c.getMetaData().getDatabaseProductName());
        try (PreparedStatement ps = c.prepareStatement(dialect.addProducts)) {
            ps.setArray(1, c.createArrayOf("VARCHAR", ids));
            for (int k = 0; k < values.length; k++) {
                ps.setArray(k + 2, c.createArrayOf("BIGINT", values[k]));
            }
            ps.executeUpdate();
        }
    }

    /** Deletes the throughput and latency rows no summary reads any more. */
    static void prune(Connection c, long nowEpochSecond) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM summary_seconds WHERE epoch_second < ?");
             PreparedStatement l = c.prepareStatement("DELETE FROM summary_latency WHERE epoch_minute < ?")) {
            s.setLong(1, nowEpochSecond - KEEP_SECONDS);
            s.executeUpdate();
            l.setLong(1, (nowEpochSecond - KEEP_SECONDS) / 60);
            l.executeUpdate();
        }
    }

    /** Batch UPDATE of every row, then batch INSERT of those that matched none. */
    private static void upsert(Connection c, String update, String insert, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement(update)) {
            for (Object[] row : rows) {
                bind(ps, row);
                ps.addBatch();
            }
            counts = ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            int missing = 0;
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    Object[] row = rows.get(i);
                    bind(ps, row);
                    ps.addBatch();
                    missing++;
                }
            }
            if (missing > 0) {
                ps.executeBatch();
            }
        }
    }

    private static void bind(PreparedStatement ps, Object[] row) throws SQLException {
        for (int i = 0; i < row.length; i++) {
            Object v = row[i];
            if (v instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (v instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (v instanceof BigDecimal b) {
                ps.setBigDecimal(i + 1, b);
            } else {
                ps.setString(i + 1, (String) v);
            }
        }
    }
}
