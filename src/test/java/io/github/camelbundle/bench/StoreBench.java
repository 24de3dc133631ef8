package io.github.camelbundle.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.analytics.H2FileCompaction;
import io.github.camelbundle.analytics.StoreDataSource;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The analytics store alone: batch inserts of merged records, as the API does them, on one thread or
 * several (as the API's concurrent requests do). The records and their JSON are built before the clock
 * starts, so only the store's work is timed.
 * {@code java -cp ... io.github.camelbundle.bench.StoreBench [jdbcUrl] [records] [batch] [threads] [sync]}; prints
 * records/s, and on H2 the file's size and fill rate; {@code sync} (true/false, default true) is
 * analytics.store.sync-each-commit. With {@code -Dbench.fold=true} the summary folder runs every 5 s beside
 * the writers, as in the application (it deletes the deltas it folds: the store's one delete-heavy
 * table), and the H2 file's figures are printed every 100,000 records: its growth over a long run.
 * {@code -Dbench.compact=false}: the store without its H2 file compaction steps (H2FileCompaction);
 * {@code -Dbench.rate=N}: at most N records/s (a long run at a steady rate: H2 re-writes only chunks
 * older than its RETENTION_TIME, 45 s by default).
 */
public final class StoreBench {

    /** The H2 file's size and how full its chunks are (MVStore's own figures). */
    private static void h2File(HikariDataSource ds, Path dir) throws Exception {
        try (var c = ds.getConnection(); var rs = c.createStatement().executeQuery(
                "SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME IN "
                        + "('info.FILE_SIZE', 'info.FILL_RATE', 'info.CHUNKS_FILL_RATE', 'info.CHUNK_COUNT')")) {
            StringBuilder line = new StringBuilder("h2 file: ");
            while (rs.next()) {
                line.append(rs.getString(1).substring(5)).append('=').append(rs.getString(2)).append(' ');
            }
            System.out.println(line);
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("storebench");
        String url = args.length > 0 && !args[0].isEmpty() ? args[0] : "jdbc:h2:file:" + dir.resolve("analytics") + ";DB_CLOSE_ON_EXIT=FALSE";
        int total = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        boolean sync = args.length <= 4 || Boolean.parseBoolean(args[4]);
        try (HikariDataSource ds = StoreDataSource.create(url, System.getenv().getOrDefault("PGUSER", "sa"),
                System.getenv().getOrDefault("PGPASSWORD", ""), Math.max(4, threads))) {
            AnalyticsStore store = new AnalyticsStore(ds, sync,
                    Boolean.parseBoolean(System.getProperty("bench.compact", "true")) ? new H2FileCompaction() : null);
            Instant t = Instant.now();
            String run = "bench-" + System.nanoTime() + "-";
            List<List<MergedRecord>> batches = new ArrayList<>();
            List<List<String>> payloads = new ArrayList<>();
            for (int from = 0; from < total; from += batch) {
                List<MergedRecord> records = new ArrayList<>(batch);
                List<String> json = new ArrayList<>(batch);
                for (int i = from; i < from + batch; i++) {
                    CustomerEvent c = new CustomerEvent(run + i, "C" + i % 5000, "Ada Lovelace",
                            "ada@example.com", Tier.GOLD, Region.EU, "P" + i % 10000, 3, t, Map.of());
                    InventoryRecord p = new InventoryRecord("P" + i % 10000, "SKU-1", "Kettle", "Kitchen",
                            new BigDecimal("12.34"), "EUR", 40, "WH-1", 7L, t, Map.of());
                    MergedRecord m = MergedRecord.of(c, p, new SourceRef("customer-data", 0, (long) i), t);
                    records.add(m);
                    json.add(Json.MAPPER.writeValueAsString(m));
                }
                batches.add(records);
                payloads.add(json);
            }
            long records = batches.stream().mapToLong(List::size).sum();
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            java.util.concurrent.ScheduledExecutorService folding = Executors.newSingleThreadScheduledExecutor();
            try {
                long start = System.nanoTime();
                List<Future<?>> writers = new ArrayList<>();
                if (Boolean.getBoolean("bench.fold")) {
                    io.github.camelbundle.analytics.SummaryFolder folder = new io.github.camelbundle.analytics.SummaryFolder(ds, 10_000);
                    folding.scheduleWithFixedDelay(() -> {
                        try {
                            folder.fold();
                        } catch (Exception e) {
                            System.out.println("fold failed: " + e);
                        }
                    }, 5, 5, java.util.concurrent.TimeUnit.SECONDS);
                }
                AtomicInteger written = new AtomicInteger();
                long rate = Long.getLong("bench.rate", 0);
                for (int w = 0; w < threads; w++) {
                    writers.add(pool.submit(() -> {
                        for (int b = next.getAndIncrement(); b < batches.size(); b = next.getAndIncrement()) {
                            if (rate > 0) {
                                long due = start + (long) (1e9 * written.get() / rate);
                                java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
                            }
                            store.store(batches.get(b), payloads.get(b));
                            int done = written.addAndGet(batches.get(b).size());
                            if (url.startsWith("jdbc:h2:file:") && done / 100_000 != (done - batches.get(b).size()) / 100_000) {
                                System.out.printf("%,d records: ", done);
                                h2File(ds, dir);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> writer : writers) {
                    writer.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("store: %,d records in batches of %d on %d threads, sync each commit %s: %.1f s, %,.0f records/s%n",
                        records, batch, threads, sync, seconds, records / seconds);
                if (url.startsWith("jdbc:h2:file:")) {
                    h2File(ds, dir);
                }
            } finally {
                // a failed writer must not leave the others writing into a closing pool and a deleted directory
                pool.shutdownNow();
                folding.shutdownNow();
            }
        } finally {
            Bench.deleteTree(dir);
        }
    }
}
