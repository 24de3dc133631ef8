package io.github.camelbundle.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The summary totals of the records stored before they were kept (migration V4): the same aggregates
 * the summary used to compute on every call, computed once, grouped in SQL and added through the
 * folder's writer, so backfilled and folded totals follow the same rules.
 */
public final class SummaryBackfill {

    private SummaryBackfill() {
    }

    public static void run(Connection c, Instant now) throws SQLException {
        SummaryDelta d = new SummaryDelta();
        query(c, "SELECT COUNT(*), SUM(CASE WHEN fulfillable THEN 1 ELSE 0 END) FROM merged_records", null, rs -> {
            d.records = rs.getLong(1);
            d.fulfillable = rs.getLong(2);
        });
        query(c, "SELECT currency, COUNT(*), SUM(order_value) FROM merged_records GROUP BY currency", null,
                rs -> d.addCurrency(rs.getString(1), rs.getLong(2), rs.getBigDecimal(3)));
        query(c, "SELECT region, COUNT(*) FROM merged_records GROUP BY region", null,
                rs -> d.regions.put(rs.getString(1), rs.getLong(2)));
        query(c, "SELECT tier, COUNT(*) FROM merged_records GROUP BY tier", null,
                rs -> d.tiers.put(rs.getString(1), rs.getLong(2)));
        // per product and inventory version: addProduct keeps the newest version's lowest stock level
        query(c, "SELECT product_id, SUM(quantity), COUNT(*), inventory_version, MIN(stock_level) FROM merged_records "
                + "GROUP BY product_id, inventory_version", null,
                rs -> d.addProduct(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
        // a batch shares one stored_at: few groups even for the last hour's records
        Timestamp since = Timestamp.from(now.minusSeconds(SummaryTotalsWriter.KEEP_SECONDS));
        query(c, "SELECT stored_at, latency_ms, COUNT(*) FROM merged_records WHERE stored_at >= ? "
                + "GROUP BY stored_at, latency_ms", since, rs -> {
                    long millis = rs.getTimestamp(1).getTime();
                    d.seconds.merge(Math.floorDiv(millis, 1000L), rs.getLong(3), Long::sum);
                    d.addLatency(Math.floorDiv(millis, 60_000L), LatencyBuckets.bucket(rs.getLong(2)), rs.getLong(3));
                });
        SummaryTotalsWriter.apply(c, d);
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, Timestamp parameter, Row each) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            // streams on PostgreSQL (inside the migration's transaction) instead of loading every group
            ps.setFetchSize(10_000);
            if (parameter != null) {
                ps.setTimestamp(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    each.accept(rs);
                }
            }
        }
    }
}
