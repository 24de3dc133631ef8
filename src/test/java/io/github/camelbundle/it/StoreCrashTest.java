package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.camelbundle.FreePorts;
import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.analytics.StoreDataSource;
import io.github.camelbundle.model.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the analytics API right after it acknowledged records, while the summary folder deletes
 * deltas and compacts the H2 file: after the restart every acknowledged record is stored.
 */
class StoreCrashTest {

    private static final String KEY = "store-crash-test";
    private static final int BATCH = 500;
    private static final int ACKED_BEFORE_KILL = 30_000;

    @TempDir
    Path data;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void everyAcknowledgedRecordSurvivesAKillMinus9WhileTheFileIsCompacted() throws Exception {
        int httpPort = FreePorts.next();
        int managementPort = FreePorts.next();
        // RETENTION_TIME=0: H2 re-writes and overwrites chunks at once, so the compaction runs (and the
        // kill can land in it) within seconds instead of after 45 s; the application's own settings else
        String url = "jdbc:h2:file:" + data.resolve("analytics") + ";DB_CLOSE_ON_EXIT=FALSE;RETENTION_TIME=0";
        List<String> props = List.of("bundle.roles=analytics", "kafka.embedded.enabled=false",
                "camel.server.port=" + httpPort, "camel.management.port=" + managementPort,
                "analytics.datasource.url=" + url, "analytics.api-key=" + KEY,
                "analytics.summary.fold-interval-ms=100");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger batches = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(2);
        try (JavaProcess app = JavaProcess.start(data.resolve("app.log"), null, props)) {
            app.awaitHttpOk("http://127.0.0.1:" + managementPort + "/observe/health/ready", Duration.ofSeconds(90));
            List<Future<?>> running = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                running.add(senders.submit(() -> {
                    while (acknowledged.size() < ACKED_BEFORE_KILL) {
                        int b = batches.getAndIncrement();
                        ArrayNode body = AnalyticsApiTest.variedBatch("crash-" + b + "-", BATCH, b);
                        HttpResponse<String> response = post(httpPort, body.toString());
                        assertEquals(200, response.statusCode(), response.body());
                        assertEquals(BATCH, Json.MAPPER.readTree(response.body()).get("accepted").asInt(), response.body());
                        for (int i = 0; i < BATCH; i++) {
                            acknowledged.add("crash-" + b + "-" + i);
                        }
                    }
                    // right after an acknowledgement, with the other sender's request in flight
                    app.kill();
                    return null;
                }));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    // the sender whose request the kill cut off
                    assertTrue(e.getCause() instanceof java.io.IOException, e.getCause().toString());
                }
            }
        } finally {
            senders.shutdownNow();
        }
        try (var dataSource = StoreDataSource.create(url, "sa", "", 2)) {
            Set<String> stored = new AnalyticsStore(dataSource).eventIds();
            List<String> lost = acknowledged.stream().filter(id -> !stored.contains(id)).sorted().toList();
            assertTrue(lost.isEmpty(), lost.size() + " of " + acknowledged.size() + " acknowledged records lost, e.g. "
                    + lost.stream().limit(5).toList());
            assertTrue(acknowledged.size() >= ACKED_BEFORE_KILL, acknowledged.size() + " acknowledged");
        }
    }

    private HttpResponse<String> post(int port, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/analytics/data"))
                .header("Content-Type", "application/json").header("X-API-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
