package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.analytics.AnalyticsSummary;
import io.github.camelbundle.analytics.StoreDataSource;
import io.github.camelbundle.analytics.StoreResult;
import io.github.camelbundle.analytics.SummaryFolder;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.MergedRecord;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several writers storing the same records at once (re-deliveries racing each other): every record is
 * stored exactly once and every other copy is counted as a duplicate, on H2 and on PostgreSQL; two
 * summary folders (two instances) fold meanwhile, and the summary counts each record once.
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
            AtomicBoolean racing = new AtomicBoolean(true);
            AtomicInteger folded = new AtomicInteger();
            ExecutorService folders = Executors.newFixedThreadPool(2);
            List<Future<?>> folding = new ArrayList<>();
            for (int f = 0; f < 2; f++) {
                SummaryFolder folder = new SummaryFolder(ds, 3);
                folding.add(folders.submit(() -> {
                    while (racing.get()) {
                        folded.addAndGet(folder.fold());
                    }
                    return null;
                }));
            }
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
            racing.set(false);
            for (Future<?> f : folding) {
                f.get();
            }
            folders.shutdown();
            assertEquals(2000, stored, "each record stored once");
            assertEquals(6000, duplicates, "every other copy counted as a duplicate");
            assertEquals(2000, store.count());

            AnalyticsSummary summary = new AnalyticsSummary(ds, 10);
            assertSummary(records, ds, summary);
            new SummaryFolder(ds, 1000).fold();
            assertEquals(0, SummaryOracle.foldState(ds)[0], "every delta folded");
            assertTrue(folded.get() > 0, "the racing folders folded deltas");
            assertSummary(records, ds, summary);
        }
    }

    /** The figures of the 2000 distinct records, added up here, and the rows as stored. */
    private static void assertSummary(List<MergedRecord> records, javax.sql.DataSource ds, AnalyticsSummary summary)
            throws Exception {
        Instant before = Instant.now();
        JsonNode said = Json.MAPPER.valueToTree(summary.summary());
        SummaryOracle.assertMatchesRows(ds, said, before, Instant.now(), 10);
        BigDecimal eur = BigDecimal.ZERO;
        long quantityOfP0 = 0;
        for (MergedRecord r : records) {
            eur = eur.add(r.orderValue());
            quantityOfP0 += r.product().productId().equals("P0") ? r.quantity() : 0;
        }
        assertEquals(2000, said.get("records").asLong());
        assertEquals(2000, said.get("byRegion").get("EU").asLong());
        assertEquals(0, eur.compareTo(said.get("orderValueByCurrency").get("EUR").decimalValue()));
        assertEquals(1.0, said.get("fulfillableRatio").asDouble());
        boolean listed = false;
        for (JsonNode p : said.get("topProducts")) {
            if (p.get("productId").asText().equals("P0")) {
                assertEquals(quantityOfP0, p.get("quantity").asLong());
                listed = true;
            }
        }
        assertTrue(listed, "P0 is among 9 products");
    }
}
