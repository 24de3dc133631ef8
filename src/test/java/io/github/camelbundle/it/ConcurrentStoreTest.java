package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariDataSource;
import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.analytics.StoreDataSource;
import io.github.camelbundle.analytics.StoreResult;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.MergedRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several writers storing the same records at once (re-deliveries racing each other): every record is
 * stored exactly once and every other copy is counted as a duplicate, on H2 and on PostgreSQL.
 */
class ConcurrentStoreTest {

    @TempDir
    Path data;

    @Test
    void racingWritersStoreEachRecordOnceOnH2() throws Exception {
        race("jdbc:h2:file:" + data.resolve("race") + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
    }

    @Test
    void racingWritersStoreEachRecordOnceOnPostgres() throws Exception {
        PostgresSupport.requireEmptyDatabase();
        race(PostgresSupport.URL, PostgresSupport.USER, PostgresSupport.PASSWORD);
    }

    private void race(String url, String user, String password) throws Exception {
        List<MergedRecord> records = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            MergedRecord r = AnalyticsApiTest.record("race-" + i, "P" + i % 9, "EU", 1 + i % 3, "9.99", "EUR");
            records.add(r);
            payloads.add(Json.MAPPER.writeValueAsString(r));
        }
        try (HikariDataSource ds = StoreDataSource.create(url, user, password, 8)) {
            AnalyticsStore store = new AnalyticsStore(ds);
            ExecutorService writers = Executors.newFixedThreadPool(4);
            List<Future<int[]>> results = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int offset = w * 100;
                results.add(writers.submit(() -> {
                    int stored = 0;
                    int duplicates = 0;
                    for (int from = 0; from < 2000; from += 500) {
                        // each writer walks the records in a different order of overlapping batches
                        int start = (from + offset) % 2000;
                        List<MergedRecord> batch = new ArrayList<>();
                        List<String> batchPayloads = new ArrayList<>();
                        for (int i = 0; i < 500; i++) {
                            batch.add(records.get((start + i) % 2000));
                            batchPayloads.add(payloads.get((start + i) % 2000));
                        }
                        StoreResult r = store.store(batch, batchPayloads);
                        stored += r.stored();
                        duplicates += r.duplicates();
                    }
                    return new int[] {stored, duplicates};
                }));
            }
            int stored = 0;
            int duplicates = 0;
            for (Future<int[]> f : results) {
                stored += f.get()[0];
                duplicates += f.get()[1];
            }
            writers.shutdown();
            assertEquals(2000, stored, "each record stored once");
            assertEquals(6000, duplicates, "every other copy counted as a duplicate");
            assertEquals(2000, store.count());
        }
    }
}
