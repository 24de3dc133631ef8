package io.github.camelbundle.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.analytics.AnalyticsSummary;
import io.github.camelbundle.analytics.StoreDataSource;
import io.github.camelbundle.analytics.SummaryFolder;
import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.MergedRecord;
import io.github.camelbundle.model.Region;
import io.github.camelbundle.model.SourceRef;
import io.github.camelbundle.model.Tier;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * GET /analytics/summary's work at scale: loads {@code rows} merged records into the store with
 * {@code writers} threads in 500-record batches (as the API's concurrent POSTs do), prints the insert
 * records/s, then times the summary over several calls (p50 and max). The summary folder runs every
 * {@code fold=<ms>} during the load (default 1000), as the summary-deltas-to-totals route does
 * ({@code fold=off} leaves every delta pending, the worst case for the summary).
 * {@code java -cp ... io.github.camelbundle.bench.SummaryBench [jdbcUrl|""] [rows] [writers] [calls] [fold=<ms>|off]};
 * for PostgreSQL the user and password come from ANALYTICS_TEST_PG_USER / _PASSWORD.
 */
public final class SummaryBench {

    private static final String[] CURRENCIES = {"EUR", "USD", "GBP"};

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("summarybench");
        String url = args.length > 0 && !args[0].isEmpty() ? args[0]
                : "jdbc:h2:file:" + dir.resolve("analytics") + ";DB_CLOSE_ON_EXIT=FALSE";
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int writers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int calls = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        boolean pg = url.startsWith("jdbc:postgresql");
        String user = pg ? System.getenv().getOrDefault("ANALYTICS_TEST_PG_USER", "postgres") : "sa";
        String password = pg ? System.getenv().getOrDefault("ANALYTICS_TEST_PG_PASSWORD", "") : "";
        try (HikariDataSource ds = StoreDataSource.create(url, user, password, writers + 2)) {
            AnalyticsStore store = new AnalyticsStore(ds);
            String foldArg = args.length > 4 ? args[4].replace("fold=", "") : "1000";
            boolean fold = !foldArg.equals("off");
            long foldMs = fold ? Long.parseLong(foldArg) : 0;
            SummaryFolder folder = new SummaryFolder(ds, 1000);
            long[] folds = new long[3]; // count, total ms, max ms
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            if (fold) {
                timer.scheduleWithFixedDelay(() -> {
                    long t0 = System.nanoTime();
                    try {
                        folder.fold();
                    } catch (Exception e) {
                        e.printStackTrace();
                    }
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    folds[0]++;
                    folds[1] += ms;
                    folds[2] = Math.max(folds[2], ms);
                }, foldMs, foldMs, TimeUnit.MILLISECONDS);
            }
            long before = store.count();
            double insertSeconds = load(store, rows, writers);
            timer.shutdown();
            timer.awaitTermination(1, TimeUnit.MINUTES);
            System.out.printf("insert: %,d records, %d writers x 500-record batches, folder %s: %.1f s, %,.0f records/s%n",
                    rows, writers, fold ? "every " + foldMs + " ms" : "off", insertSeconds, rows / insertSeconds);
            if (fold) {
                System.out.printf("folds during the load: %d, mean %.0f ms, max %d ms%n", folds[0],
                        folds[1] / (double) Math.max(1, folds[0]), folds[2]);
            }
            AnalyticsSummary summary = new AnalyticsSummary(ds, 10);
            long total = before + rows;
            long pending = count(ds, "SELECT COUNT(*) FROM summary_deltas");
            time("summary (" + pending + " deltas pending)", summary, calls, total, pg);
            long t0 = System.nanoTime();
            int folded = folder.fold();
            System.out.printf("fold of the %d pending deltas: %d ms%n", folded, (System.nanoTime() - t0) / 1_000_000);
            time("summary (all folded)", summary, calls, total, pg);
        } finally {
            Bench.deleteTree(dir);
        }
    }

    static long count(javax.sql.DataSource ds, String sql) throws Exception {
        try (var c = ds.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void time(String label, AnalyticsSummary summary, int calls, long total, boolean pg) throws Exception {
        long[] ms = new long[calls];
        Map<String, Object> last = null;
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            last = summary.summary();
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        if ((long) last.get("records") != total) {
            throw new IllegalStateException("summary says " + last.get("records") + " records, stored " + total);
        }
        Arrays.sort(ms);
        System.out.printf("%s on %s at %,d rows: p50 %d ms, max %d ms over %d calls (all: %s)%n", label,
                pg ? "PostgreSQL" : "H2", total, ms[calls / 2], ms[calls - 1], calls, Arrays.toString(ms));
    }

    /** Loads the rows; returns the seconds it took. */
    static double load(AnalyticsStore store, int rows, int writers) throws Exception {
        AtomicLong next = new AtomicLong();
        String run = Long.toString(System.nanoTime(), 36);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            done.add(pool.submit(() -> {
                for (long from = next.getAndAdd(500); from < rows; from = next.getAndAdd(500)) {
                    List<MergedRecord> batch = new ArrayList<>(500);
                    List<String> payloads = new ArrayList<>(500);
                    Instant now = Instant.now();
                    for (long n = from; n < Math.min(rows, from + 500); n++) {
                        MergedRecord m = record(run, n, now);
                        batch.add(m);
                        payloads.add(Json.MAPPER.writeValueAsString(m));
                    }
                    store.store(batch, payloads);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return (System.nanoTime() - start) / 1e9;
    }

    /** 10,000 products, spread regions/tiers/currencies, stock 0-299, event times 0-30 s old. */
    static MergedRecord record(String run, long n, Instant now) {
        String product = "P" + n % 10_000;
        Instant eventTime = now.minusMillis(n * 7919 % 30_000);
        CustomerEvent c = new CustomerEvent("sb-" + run + "-" + n, "C" + n % 50_000, "Ada Lovelace", "ada@example.com",
                Tier.values()[(int) (n % 4)], Region.values()[(int) (n / 4 % 4)], product, 1 + (int) (n % 7), eventTime,
                Map.of());
        InventoryRecord p = new InventoryRecord(product, "SKU", "Kettle", "Kitchen",
                new BigDecimal("19.99").add(BigDecimal.valueOf(n % 100, 2)), CURRENCIES[(int) (n % 10_000 % 3)],
                (int) (n * 31 % 300), "WH-1", n / 10_000, eventTime, Map.of());
        return MergedRecord.of(c, p, new SourceRef("customer-data", (int) (n % 3), n), now);
    }
}
