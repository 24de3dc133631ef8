package io.github.camelbundle.bench;

import io.github.camelbundle.FreePorts;
import io.github.camelbundle.RoleSelection;
import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.MergedRecord;
import io.github.camelbundle.model.Region;
import io.github.camelbundle.model.SourceRef;
import io.github.camelbundle.model.Tier;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.main.Main;

/**
 * A short load run of {@code POST /analytics/data} (analytics role only, loopback, bounded in time):
 * 4 clients send 500-record batches for {@code seconds}; prints records/s stored, the POST latency
 * p50/p99, and how long GET /analytics/summary then takes on the rows stored.
 * {@code java -cp ... io.github.camelbundle.bench.ApiLoadBench [seconds] [jdbcUrl user password]}
 */
public final class ApiLoadBench {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path dir = Files.createTempDirectory("api-bench");
        String url = args.length > 1 ? args[1] : "jdbc:h2:file:" + dir.resolve("analytics") + ";DB_CLOSE_ON_EXIT=FALSE";
        int port = FreePorts.next();
        Main main = new Main();
        main.addOverrideProperty("bundle.roles", "analytics");
        main.addOverrideProperty("camel.server.port", Integer.toString(port));
        main.addOverrideProperty("camel.management.port", Integer.toString(FreePorts.next()));
        main.addOverrideProperty("analytics.api-key", "bench");
        main.addOverrideProperty("analytics.datasource.url", url);
        if (args.length > 3) {
            main.addOverrideProperty("analytics.datasource.username", args[2]);
            main.addOverrideProperty("analytics.datasource.password", args[3]);
        }
        main.addMainListener(new RoleSelection());
        main.start();
        try {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            AtomicLong sequence = new AtomicLong();
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<Long>> sent = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                sent.add(clients.submit(() -> {
                    long records = 0;
                    while (System.nanoTime() < end) {
                        byte[] body = Json.MAPPER.writeValueAsBytes(batch(sequence, 500));
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/analytics/data")).header("Content-Type", "application/json").header("X-API-Key", "bench")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                        latencies.add(System.nanoTime() - t0);
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException("POST answered " + r.statusCode() + ": " + r.body());
                        }
                        records += 500;
                    }
                    return records;
                }));
            }
            long records = 0;
            for (Future<Long> f : sent) {
                records += f.get();
            }
            clients.shutdown();
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            AnalyticsStore store = main.getCamelContext().getRegistry().lookupByNameAndType("analyticsStore", AnalyticsStore.class);
            long t0 = System.nanoTime();
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/analytics/summary")).build(),
                    HttpResponse.BodyHandlers.ofString());
            double summaryMs = (System.nanoTime() - t0) / 1e6;
            System.out.printf("api: %s, %d s, 4 clients x 500-record batches: %,.0f records/s stored (%,d rows), "
                    + "POST p50 %.1f ms p99 %.1f ms; GET /analytics/summary on %,d rows: %.0f ms%n",
                    url.startsWith("jdbc:postgresql") ? "PostgreSQL" : "H2", seconds, records / (double) seconds,
                    store.count(), sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.99)) / 1e6,
                    store.count(), summaryMs);
        } finally {
            main.stop();
            Bench.deleteTree(dir);
        }
    }

    private static List<MergedRecord> batch(AtomicLong sequence, int size) {
        Instant now = Instant.now();
        List<MergedRecord> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            long n = sequence.incrementAndGet();
            String product = "P" + (n % 10_000);
            CustomerEvent c = new CustomerEvent("load-" + n, "C" + n % 50_000, "Ada Lovelace", "ada@example.com",
                    Tier.values()[(int) (n % 4)], Region.values()[(int) (n % 4)], product, 1 + (int) (n % 5), now, Map.of());
            InventoryRecord p = new InventoryRecord(product, "SKU", "Kettle", "Kitchen", new BigDecimal("19.99"), "EUR",
                    (int) (n % 300), "WH-1", n, now, Map.of());
            batch.add(MergedRecord.of(c, p, new SourceRef("customer-data", 0, n), now));
        }
        return batch;
    }
}
