package io.github.camelbundle.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.github.camelbundle.analytics.AnalyticsStore;
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

/**
 * The analytics store alone: batch inserts of merged records, as the API does them, on one thread.
 * {@code java -cp ... io.github.camelbundle.bench.StoreBench [jdbcUrl] [records] [batch]}; prints records/s.
 */
public final class StoreBench {

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("storebench");
        String url = args.length > 0 && !args[0].isEmpty() ? args[0] : "jdbc:h2:file:" + dir.resolve("analytics") + ";DB_CLOSE_ON_EXIT=FALSE";
        int total = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        try (HikariDataSource ds = StoreDataSource.create(url, System.getenv().getOrDefault("PGUSER", "sa"),
                System.getenv().getOrDefault("PGPASSWORD", ""), 4)) {
            AnalyticsStore store = new AnalyticsStore(ds);
            Instant t = Instant.now();
            long start = System.nanoTime();
            for (int from = 0; from < total; from += batch) {
                List<MergedRecord> records = new ArrayList<>(batch);
                List<String> payloads = new ArrayList<>(batch);
                for (int i = from; i < from + batch; i++) {
                    CustomerEvent c = new CustomerEvent("bench-" + start + "-" + i, "C" + i % 5000, "Ada Lovelace",
                            "ada@example.com", Tier.GOLD, Region.EU, "P" + i % 10000, 3, t, Map.of());
                    InventoryRecord p = new InventoryRecord("P" + i % 10000, "SKU-1", "Kettle", "Kitchen",
                            new BigDecimal("12.34"), "EUR", 40, "WH-1", 7L, t, Map.of());
                    MergedRecord m = MergedRecord.of(c, p, new SourceRef("customer-data", 0, (long) i), t);
                    records.add(m);
                    payloads.add(Json.MAPPER.writeValueAsString(m));
                }
                store.store(records, payloads);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("store: %,d records in batches of %d: %.1f s, %,.0f records/s%n", total, batch, seconds,
                    total / seconds);
        } finally {
            Bench.deleteTree(dir);
        }
    }
}
