package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * What GET /analytics/summary must say, worked out in the test from the stored rows themselves
 * (merged_records, read row by row), independently of the summary's totals and deltas.
 */
final class SummaryOracle {

    private SummaryOracle() {
    }

    /**
     * Checks every figure of {@code summary} against the rows stored when it was taken;
     * {@code before}/{@code after} bracket the summary call (for the time windows).
     */
    static void assertMatchesRows(DataSource ds, JsonNode summary, Instant before, Instant after, int lowStockThreshold)
            throws SQLException {
        long records = 0;
        long fulfillable = 0;
        Map<String, BigDecimal> value = new TreeMap<>();
        Map<String, Long> regions = new TreeMap<>();
        Map<String, Long> tiers = new TreeMap<>();
        Map<String, long[]> products = new HashMap<>(); // quantity, records, version, stock
        List<Long> latencies = new ArrayList<>();
        long lastMinuteMin = 0;
        long lastMinuteMax = 0;
        long lastHour = 0;
        String sql = "SELECT fulfillable, order_value, currency, region, tier, product_id, quantity, inventory_version, "
                + "stock_level, stored_at, latency_ms FROM merged_records";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                records++;
                fulfillable += rs.getBoolean(1) ? 1 : 0;
                value.merge(rs.getString(3), rs.getBigDecimal(2), BigDecimal::add);
                regions.merge(rs.getString(4), 1L, Long::sum);
                tiers.merge(rs.getString(5), 1L, Long::sum);
                long[] p = products.computeIfAbsent(rs.getString(6), k -> new long[] {0, 0, -1, 0});
                p[0] += rs.getInt(7);
                p[1]++;
                long version = rs.getLong(8);
                int stock = rs.getInt(9);
                if (version > p[2] || version == p[2] && stock < p[3]) {
                    p[2] = version;
                    p[3] = stock;
                }
                Instant storedAt = rs.getTimestamp(10).toInstant();
                lastMinuteMin += storedAt.isAfter(after.minusSeconds(60)) ? 1 : 0;
                // the summary resolves its windows to whole seconds: up to one second more
                lastMinuteMax += !storedAt.isBefore(before.minusSeconds(61)) ? 1 : 0;
                boolean inHour = storedAt.isAfter(after.minusSeconds(3600));
                // the hour is resolved to whole seconds (throughput) and minutes (latency): keep test rows off its edge
                assertTrue(inHour || storedAt.isBefore(before.minusSeconds(3660)), "a row on the hour's edge: " + storedAt);
                lastHour += inHour ? 1 : 0;
                if (inHour) {
                    latencies.add(rs.getLong(11));
                }
            }
        }
        assertEquals(records, summary.get("records").asLong(), "records");
        assertEquals(records == 0 ? 0.0 : fulfillable / (double) records, summary.get("fulfillableRatio").asDouble(),
                1e-12, "fulfillableRatio");
        JsonNode values = summary.get("orderValueByCurrency");
        assertEquals(value.keySet(), keys(values), "currencies");
        value.forEach((currency, sum) -> assertEquals(0, sum.compareTo(values.get(currency).decimalValue()),
                "order value " + currency + ": " + sum + " vs " + values.get(currency)));
        assertEquals(regions, counts(summary.get("byRegion")), "byRegion");
        assertEquals(tiers, counts(summary.get("byTier")), "byTier");

        List<Map.Entry<String, long[]>> ranked = new ArrayList<>(products.entrySet());
        ranked.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0])
                .thenComparing(Map.Entry::getKey));
        List<String> top = new ArrayList<>();
        ranked.stream().limit(10).forEach(e -> top.add(e.getKey() + "=" + e.getValue()[0] + "/" + e.getValue()[1]));
        List<String> topSaid = new ArrayList<>();
        summary.get("topProducts").forEach(r -> topSaid.add(r.get("productId").asText() + "="
                + r.get("quantity").asLong() + "/" + r.get("records").asLong()));
        assertEquals(top, topSaid, "topProducts");

        List<Map.Entry<String, long[]>> low = new ArrayList<>(products.entrySet());
        low.removeIf(e -> e.getValue()[3] >= lowStockThreshold);
        low.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> e.getValue()[3])
                .thenComparing(Map.Entry::getKey));
        List<String> lowExpected = new ArrayList<>();
        low.stream().limit(10).forEach(e -> lowExpected.add(e.getKey() + "=" + e.getValue()[3]));
        List<String> lowSaid = new ArrayList<>();
        summary.get("lowStock").forEach(r -> lowSaid.add(r.get("productId").asText() + "=" + r.get("stockLevel").asInt()));
        assertEquals(lowExpected, lowSaid, "lowStock");

        JsonNode throughput = summary.get("throughput");
        long lastMinute = throughput.get("lastMinute").asLong();
        assertTrue(lastMinute >= lastMinuteMin && lastMinute <= lastMinuteMax,
                "lastMinute " + lastMinute + " not in [" + lastMinuteMin + ", " + lastMinuteMax + "]");
        assertEquals(lastMinute / 60.0, throughput.get("perSecondLastMinute").asDouble(), 1e-9);
        assertEquals(lastHour, throughput.get("lastHour").asLong(), "lastHour");

        // exact PERCENTILE_DISC; the summary's histogram may say up to 1/64 more, never less
        latencies.sort(null);
        for (int percent : new int[] {50, 95, 99}) {
            JsonNode said = summary.get("latencyMs").get("p" + percent);
            if (latencies.isEmpty()) {
                assertTrue(said.isNull());
                continue;
            }
            long exact = latencies.get((int) Math.max(0, (percent * (long) latencies.size() + 99) / 100 - 1));
            long v = said.asLong();
            assertTrue(v >= exact && v <= exact + exact / 64, "p" + percent + " " + v + " vs exact " + exact);
        }
    }

    /** Counts of rows the summary reads: {pending deltas, folded records}. */
    static long[] foldState(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return new long[] {single(c, "SELECT COUNT(*) FROM summary_deltas"),
                single(c, "SELECT COALESCE(SUM(records), 0) FROM summary_totals WHERE kind = 'records'")};
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static java.util.Set<String> keys(JsonNode object) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static Map<String, Long> counts(JsonNode object) {
        Map<String, Long> out = new TreeMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }
}
