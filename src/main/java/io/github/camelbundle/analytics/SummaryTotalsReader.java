package io.github.camelbundle.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** Reads of the folded totals tables (V3) for the summary: each one an index lookup or range. */
final class SummaryTotalsReader {

    /** Product ids per IN list. */
    private static final int CHUNK = 500;

    private SummaryTotalsReader() {
    }

    /** The folded figures of these products, as SummaryDelta product entries. */
    static Map<String, long[]> products(Connection c, Collection<String> ids) throws SQLException {
        Map<String, long[]> out = new HashMap<>();
        List<String> list = new ArrayList<>(ids);
        for (int from = 0; from < list.size(); from += CHUNK) {
            List<String> chunk = list.subList(from, Math.min(list.size(), from + CHUNK));
            String sql = "SELECT product_id, quantity, records, inventory_version, stock_level FROM summary_products "
                    + "WHERE product_id IN (" + "?, ".repeat(chunk.size() - 1) + "?)";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), row(rs));
                    }
                }
            }
        }
        return out;
    }

    /** Runs a product query (with one int parameter unless {@code parameter} is negative). */
    static void productRows(Connection c, String sql, int parameter, BiConsumer<String, long[]> each)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (parameter >= 0) {
                ps.setInt(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    each.accept(rs.getString(1), row(rs));
                }
            }
        }
    }

    private static long[] row(ResultSet rs) throws SQLException {
        return new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)};
    }

    /** Folded records stored from {@code minuteFrom} and from {@code hourFrom} (epoch seconds). */
    static long[] throughput(Connection c, long minuteFrom, long hourFrom) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT SUM(CASE WHEN epoch_second >= ? THEN records ELSE 0 END), "
                + "SUM(records) FROM summary_seconds WHERE epoch_second >= ?")) {
            ps.setLong(1, minuteFrom);
            ps.setLong(2, hourFrom);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    /** Folded latency histogram of the records stored from {@code minuteFrom} (epoch minutes). */
    static Map<Integer, Long> latency(Connection c, long minuteFrom) throws SQLException {
        Map<Integer, Long> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT bucket, SUM(records) FROM summary_latency WHERE epoch_minute >= ? GROUP BY bucket")) {
            ps.setLong(1, minuteFrom);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        return out;
    }
}
