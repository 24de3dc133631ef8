package io.github.camelbundle.analytics;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** {@code GET /analytics/summary}: every figure is one SQL aggregate over the store, none is kept in memory. */
public class AnalyticsSummary {

    private final DataSource dataSource;
    private final int lowStockThreshold;

    public AnalyticsSummary(DataSource dataSource, int lowStockThreshold) {
        this.dataSource = dataSource;
        this.lowStockThreshold = lowStockThreshold;
    }

    public Map<String, Object> summary() throws SQLException {
        Instant now = Instant.now();
        Map<String, Object> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*), SUM(CASE WHEN fulfillable THEN 1 ELSE 0 END) FROM merged_records");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                long records = rs.getLong(1);
                out.put("records", records);
                out.put("fulfillableRatio", records == 0 ? 0.0 : rs.getLong(2) / (double) records);
            }
            out.put("orderValueByCurrency", decimalsByKey(c,
                    "SELECT currency, SUM(order_value) FROM merged_records GROUP BY currency ORDER BY currency"));
            out.put("byRegion", countsByKey(c,
                    "SELECT region, COUNT(*) FROM merged_records GROUP BY region ORDER BY region"));
            out.put("byTier", countsByKey(c, "SELECT tier, COUNT(*) FROM merged_records GROUP BY tier ORDER BY tier"));
            out.put("topProducts", rows(c, "SELECT product_id, SUM(quantity) AS q, COUNT(*) FROM merged_records "
                    + "GROUP BY product_id ORDER BY q DESC, product_id LIMIT 10", "productId", "quantity", "records"));
            out.put("lowStock", lowStock(c));
            Map<String, Object> throughput = new LinkedHashMap<>();
            long lastMinute = countSince(c, now.minus(1, ChronoUnit.MINUTES));
            long lastHour = countSince(c, now.minus(1, ChronoUnit.HOURS));
            throughput.put("lastMinute", lastMinute);
            throughput.put("lastHour", lastHour);
            throughput.put("perSecondLastMinute", lastMinute / 60.0);
            out.put("throughput", throughput);
            out.put("latencyMs", latency(c, now.minus(1, ChronoUnit.HOURS)));
        }
        return out;
    }

    /**
     * Products whose most recently stored stock level is under the threshold. The few rows under the
     * threshold are found first, then each is checked against its product's newest version through the
     * (product_id, inventory_version) index: no scan of the table per product.
     */
    private List<Map<String, Object>> lowStock(Connection c) throws SQLException {
        String sql = "SELECT DISTINCT m.product_id, m.stock_level FROM merged_records m WHERE m.stock_level < ? "
                + "AND m.inventory_version = (SELECT MAX(x.inventory_version) FROM merged_records x "
                + "WHERE x.product_id = m.product_id) ORDER BY m.stock_level, m.product_id LIMIT 10";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, lowStockThreshold);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("productId", rs.getString(1));
                    row.put("stockLevel", rs.getInt(2));
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private static long countSince(Connection c, Instant since) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM merged_records WHERE stored_at >= ?")) {
            ps.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Event-time-to-stored latency of the last hour's records. */
    private static Map<String, Object> latency(Connection c, Instant since) throws SQLException {
        String sql = "SELECT PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY latency_ms), "
                + "PERCENTILE_DISC(0.95) WITHIN GROUP (ORDER BY latency_ms), "
                + "PERCENTILE_DISC(0.99) WITHIN GROUP (ORDER BY latency_ms) FROM merged_records WHERE stored_at >= ?";
        Map<String, Object> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                out.put("p50", rs.getObject(1) == null ? null : rs.getLong(1));
                out.put("p95", rs.getObject(2) == null ? null : rs.getLong(2));
                out.put("p99", rs.getObject(3) == null ? null : rs.getLong(3));
            }
        }
        return out;
    }

    private static Map<String, Long> countsByKey(Connection c, String sql) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    private static Map<String, BigDecimal> decimalsByKey(Connection c, String sql) throws SQLException {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getBigDecimal(2).stripTrailingZeros());
            }
        }
        return out;
    }

    private static List<Map<String, Object>> rows(Connection c, String sql, String... names) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < names.length; i++) {
                    row.put(names[i], rs.getObject(i + 1));
                }
                out.add(row);
            }
        }
        return out;
    }
}
