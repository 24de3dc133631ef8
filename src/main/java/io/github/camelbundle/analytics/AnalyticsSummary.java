package io.github.camelbundle.analytics;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * {@code GET /analytics/summary}: the folded totals plus the deltas not folded yet (SummaryFolder),
 * so it is exact and reads a few small tables whatever the number of stored records. Throughput
 * windows are resolved to whole seconds (the second in which a window starts counts in full),
 * latency percentiles to LatencyBuckets (at most 1.6 % above the exact value) and whole minutes.
 */
public class AnalyticsSummary {

    /** Reads that overlapped a fold are repeated this often before the fold lock is taken instead. */
    private static final int OPTIMISTIC_READS = 3;
    private static final int TOP = 10;

    private final DataSource dataSource;
    private final int lowStockThreshold;
    private final String codePointOrder;

    public AnalyticsSummary(DataSource dataSource, int lowStockThreshold) throws SQLException {
        this.dataSource = dataSource;
        this.lowStockThreshold = lowStockThreshold;
        try (Connection c = dataSource.getConnection()) {
            this.codePointOrder = StoreDialect.of(c.getMetaData().getDatabaseProductName()).codePointOrder;
        }
    }

    public Map<String, Object> summary() throws SQLException {
        Instant now = Instant.now();
        try (Connection c = dataSource.getConnection()) {
            // totals and deltas are read in several statements: a fold committing in between would count
            // its deltas twice or not at all, so the read is kept only if the fold generation did not move
            for (int attempt = 0; attempt < OPTIMISTIC_READS; attempt++) {
                long generation = generation(c, "");
                Map<String, Object> out = read(c, now);
                if (generation(c, "") == generation) {
                    return out;
                }
            }
            c.setAutoCommit(false);
            try {
                generation(c, " FOR UPDATE");
                Map<String, Object> out = read(c, now);
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static long generation(Connection c, String lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT generation FROM summary_state WHERE id = 1" + lock);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Map<String, Object> read(Connection c, Instant now) throws SQLException {
        SummaryDelta pending = SummaryDeltas.sum(c);
        SummaryDelta all = totals(c);
        all.merge(pending);
        // the pending products with their folded figures added: the only products whose rank can have moved
        Map<String, long[]> moved = SummaryTotalsReader.products(c, pending.products.keySet());
        pending.products.forEach((id, p) -> {
            long[] t = moved.get(id);
            SummaryDelta merged = new SummaryDelta();
            merged.addProduct(id, p[0], p[1], p[2], p[3]);
            if (t != null) {
                merged.addProduct(id, t[0], t[1], t[2], t[3]);
            }
            moved.put(id, merged.products.get(id));
        });

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("records", all.records);
        out.put("fulfillableRatio", all.records == 0 ? 0.0 : all.fulfillable / (double) all.records);
        Map<String, BigDecimal> values = new TreeMap<>();
        all.orderValue.forEach((k, v) -> values.put(k, v.stripTrailingZeros()));
        out.put("orderValueByCurrency", values);
        out.put("byRegion", new TreeMap<>(all.regions));
        out.put("byTier", new TreeMap<>(all.tiers));
        out.put("topProducts", topProducts(c, moved));
        out.put("lowStock", lowStock(c, moved));
        long nowMillis = now.toEpochMilli();
        long minuteFrom = Math.floorDiv(nowMillis - 60_000, 1000L);
        long hourFrom = Math.floorDiv(nowMillis - 3_600_000, 1000L);
        long[] folded = SummaryTotalsReader.throughput(c, minuteFrom, hourFrom);
        long lastMinute = folded[0] + sumFrom(pending.seconds, minuteFrom);
        long lastHour = folded[1] + sumFrom(pending.seconds, hourFrom);
        Map<String, Object> throughput = new LinkedHashMap<>();
        throughput.put("lastMinute", lastMinute);
        throughput.put("lastHour", lastHour);
        throughput.put("perSecondLastMinute", lastMinute / 60.0);
        out.put("throughput", throughput);
        long latencyFrom = Math.floorDiv(nowMillis - 3_600_000, 60_000L);
        Map<Integer, Long> histogram = SummaryTotalsReader.latency(c, latencyFrom);
        pending.latency.forEach((minute, buckets) -> {
            if (minute >= latencyFrom) {
                buckets.forEach((b, n) -> histogram.merge(b, n, Long::sum));
            }
        });
        out.put("latencyMs", percentiles(histogram));
        return out;
    }

    private static SummaryDelta totals(Connection c) throws SQLException {
        SummaryDelta d = new SummaryDelta();
        try (PreparedStatement ps = c.prepareStatement("SELECT kind, item, records, amount FROM summary_totals");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String item = rs.getString(2);
                long records = rs.getLong(3);
                switch (rs.getString(1)) {
                    case "records" -> d.records = records;
                    case "fulfillable" -> d.fulfillable = records;
                    case "currency" -> d.addCurrency(item, records, rs.getBigDecimal(4));
                    case "region" -> d.regions.put(item, records);
                    case "tier" -> d.tiers.put(item, records);
                    default -> { }
                }
            }
        }
        return d;
    }

    /**
     * Pending records only add quantity, so the top 10 is among the folded top 10 and the moved
     * products: any other product ranks below ten products that did not go down.
     */
    private List<Map<String, Object>> topProducts(Connection c, Map<String, long[]> moved) throws SQLException {
        List<Map.Entry<String, long[]>> candidates = new ArrayList<>(moved.entrySet());
        String sql = "SELECT product_id, quantity, records, inventory_version, stock_level FROM summary_products "
                + "ORDER BY quantity DESC, product_id" + codePointOrder + " LIMIT " + TOP;
        SummaryTotalsReader.productRows(c, sql, -1, (id, p) -> {
            if (!moved.containsKey(id)) {
                candidates.add(Map.entry(id, p));
            }
        });
        candidates.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0])
                .thenComparing(Map.Entry::getKey));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : candidates.subList(0, Math.min(TOP, candidates.size()))) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("productId", e.getKey());
            row.put("quantity", e.getValue()[SummaryDelta.QUANTITY]);
            row.put("records", e.getValue()[SummaryDelta.RECORDS]);
            out.add(row);
        }
        return out;
    }

    /** Products whose newest stored stock level is under the threshold, lowest first. */
    private List<Map<String, Object>> lowStock(Connection c, Map<String, long[]> moved) throws SQLException {
        List<Map.Entry<String, long[]>> candidates = new ArrayList<>();
        moved.forEach((id, p) -> {
            if (p[SummaryDelta.STOCK] < lowStockThreshold) {
                candidates.add(Map.entry(id, p));
            }
        });
        // moved products' folded rows are stale: read enough rows to have ten others
        String sql = "SELECT product_id, quantity, records, inventory_version, stock_level FROM summary_products "
                + "WHERE stock_level < ? ORDER BY stock_level, product_id" + codePointOrder + " LIMIT "
                + (TOP + moved.size());
        SummaryTotalsReader.productRows(c, sql, lowStockThreshold, (id, p) -> {
            if (!moved.containsKey(id)) {
                candidates.add(Map.entry(id, p));
            }
        });
        candidates.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> e.getValue()[SummaryDelta.STOCK])
                .thenComparing(Map.Entry::getKey));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : candidates.subList(0, Math.min(TOP, candidates.size()))) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("productId", e.getKey());
            row.put("stockLevel", (int) e.getValue()[SummaryDelta.STOCK]);
            out.add(row);
        }
        return out;
    }

    private static long sumFrom(Map<Long, Long> perSecond, long fromSecond) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : perSecond.entrySet()) {
            sum += e.getKey() >= fromSecond ? e.getValue() : 0;
        }
        return sum;
    }

    /** PERCENTILE_DISC over the histogram: the bucket holding the k-th smallest latency, k = ceil(p x n). */
    static Map<String, Object> percentiles(Map<Integer, Long> histogram) {
        TreeMap<Integer, Long> sorted = new TreeMap<>(histogram);
        long n = 0;
        for (long count : sorted.values()) {
            n += count;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int percent : new int[] {50, 95, 99}) {
            Long value = null;
            if (n > 0) {
                long k = Math.max(1, (percent * n + 99) / 100);
                long seen = 0;
                for (Map.Entry<Integer, Long> e : sorted.entrySet()) {
                    seen += e.getValue();
                    if (seen >= k) {
                        value = LatencyBuckets.upperBound(e.getKey());
                        break;
                    }
                }
            }
            out.put("p" + percent, value);
        }
        return out;
    }
}
