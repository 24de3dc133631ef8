package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.FreePorts;
import io.github.camelbundle.model.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle's Camel Quarkus build (camel-k/quarkus, built by this build's maven-invoker-plugin step before
 * the tests) run as Camel K runs it: the generators and pipeline roles in one quarkus-run.jar process, the
 * analytics role in another, a Kafka broker in a third, the cluster settings given as environment
 * variables (KAFKA_BROKERS, DELIVERY_URL, BUNDLE_ROLES, ANALYTICS_API_KEY). Every published customer event
 * is stored, a poison record is dead-lettered, health is UP on /observe/health and the contract's metrics
 * are scraped from /observe/metrics on the management port, the path the Camel K manifests declare.
 */
class CamelQuarkusRolesTest {

    private static final int CUSTOMERS = 600;
    private static final String KEY = "quarkus-roles-key";
    /** where the root build's invoker step leaves the Quarkus application (-Dcamel.quarkus.app=... for another) */
    private static final Path APP = Path.of(System.getProperty("camel.quarkus.app",
            "target/camel-quarkus/quarkus/target/quarkus-app/quarkus-run.jar"));

    @TempDir
    Path data;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void pipelineAndAnalyticsOnCamelQuarkusStoreEveryPublishedEvent() throws Exception {
        assertTrue(Files.isRegularFile(APP), APP + " is missing: the root build makes it before the tests "
                + "(maven-invoker-plugin, camel-k/quarkus); do not run them with -Dinvoker.skip");
        String brokers = "127.0.0.1:" + FreePorts.next();
        try (JavaProcess broker = JavaProcess.start(data.resolve("broker.log"), "BROKER READY", List.of(), "broker",
                "--port=" + brokers.substring(brokers.indexOf(':') + 1), "--data-dir=" + data.resolve("kafka"))) {
            broker.awaitReady(Duration.ofSeconds(60));

            int apiPort = FreePorts.next();
            int apiManagement = FreePorts.next();
            int pipelinePort = FreePorts.next();
            int pipelineManagement = FreePorts.next();
            String api = "http://127.0.0.1:" + apiPort;
            try (JavaProcess analytics = JavaProcess.startJar(data.resolve("analytics.log"), null,
                    Map.of("BUNDLE_ROLES", "analytics", "ANALYTICS_API_KEY", KEY), List.of(
                            "camel.server.port=" + apiPort, "camel.management.port=" + apiManagement,
                            "analytics.datasource.url=jdbc:h2:file:" + data.resolve("analytics") + ";DB_CLOSE_ON_EXIT=FALSE"), APP);
                 JavaProcess pipeline = JavaProcess.startJar(data.resolve("pipeline.log"), null, Map.of(
                            "BUNDLE_ROLES", "generators,pipeline", "ANALYTICS_API_KEY", KEY, "KAFKA_BROKERS", brokers,
                            "DELIVERY_URL", api + "/analytics/data", "METRICS_UNTIMED_ROUTES", "merge-stall-watch"), List.of(
                            "camel.server.port=" + pipelinePort, "camel.management.port=" + pipelineManagement,
                            "merge.parking.datasource.url=jdbc:h2:file:" + data.resolve("parking") + ";DB_CLOSE_ON_EXIT=FALSE",
                            "generator.customers.limit=" + CUSTOMERS, "generator.customers.rate-per-second=0",
                            "generator.inventory.limit=300", "generator.inventory.rate-per-second=0", "generator.products=200",
                            "monitor.interval=5s"), APP)) {
                String apiObserve = "http://127.0.0.1:" + apiManagement + "/observe";
                String pipelineObserve = "http://127.0.0.1:" + pipelineManagement + "/observe";
                analytics.awaitHttpOk(apiObserve + "/health/ready", Duration.ofSeconds(120));
                pipeline.awaitHttpOk(pipelineObserve + "/health/ready", Duration.ofSeconds(120));
                // a customer event no schema accepts (the pipeline made the topics by now): it must reach the DLQ
                KafkaProbe.send(brokers, "customer-data", List.of(Map.entry("p-1", "{not json".getBytes(StandardCharsets.UTF_8))));
                RunningBundle.await(CUSTOMERS + " stored", Duration.ofSeconds(120), () -> new StoredRecords(api, KEY).count() == CUSTOMERS);

                Set<String> published = new HashSet<>();
                for (ConsumerRecord<String, byte[]> r : KafkaProbe.readAll(brokers, "customer-data")) {
                    JsonNode event = parseOrNull(r.value());
                    if (event != null) {
                        published.add(event.get("eventId").asText());
                    }
                }
                assertEquals(CUSTOMERS, published.size());
                assertEquals(published, new StoredRecords(api, KEY).eventIds(), "every published event stored, nothing else");
                RunningBundle.await("the poison record dead-lettered", Duration.ofSeconds(60),
                        () -> KafkaProbe.readAll(brokers, "integration-dlq").size() == 1);
                assertEquals("INVALID_JSON", KafkaProbe.headers(KafkaProbe.readAll(brokers, "integration-dlq").get(0)).get("dlq.reason"));

                // health: Camel's checks and the bundle's own, through SmallRye Health on the management port
                JsonNode pipelineHealth = Json.MAPPER.readTree(get(pipelineObserve + "/health").body());
                assertEquals("UP", pipelineHealth.get("status").asText(), pipelineHealth.toString());
                assertTrue(pipelineHealth.toString().contains("\"merge-consumer\":\"UP\""), pipelineHealth.toString());
                assertTrue(pipelineHealth.toString().contains("\"kafka-broker\":\"UP\""), pipelineHealth.toString());
                JsonNode apiHealth = Json.MAPPER.readTree(get(apiObserve + "/health").body());
                assertEquals("UP", apiHealth.get("status").asText(), apiHealth.toString());
                assertTrue(apiHealth.toString().contains("\"analytics-database\":\"UP\""), apiHealth.toString());

                // metrics: the contract's series on Quarkus's registry, Camel's route timers by route, as on Camel Main
                RunningBundle.await("the DLQ record counted", Duration.ofSeconds(30),
                        () -> metric(pipelineObserve, "integration_records_dead_lettered_total", "reason=\"INVALID_JSON\"") == 1);
                // Prometheus text when asked for it (Quarkus answers OpenMetrics text to a scrape that names no format)
                HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create(pipelineObserve + "/metrics"))
                        .header("Accept", "text/plain;version=0.0.4").build(), HttpResponse.BodyHandlers.ofString());
                assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), scrape.headers().toString());
                assertEquals(CUSTOMERS, metric(pipelineObserve, "integration_records_generated_total", "type=\"customer\""));
                assertEquals(CUSTOMERS, metric(pipelineObserve, "integration_records_delivered_total"));
                assertEquals(CUSTOMERS, metric(apiObserve, "analytics_records_stored_total"));
                assertTrue(metric(pipelineObserve, "camel_exchanges_total", "routeId=\"kafka-to-merge\"") > 0, "kafka-to-merge is timed");
                assertTrue(scrape.body().lines().noneMatch(l -> l.startsWith("camel_exchanges_total{") && l.contains("routeId=\"merge-stall-watch\"")),
                        "merge-stall-watch is left out of the route timers (metrics.untimed-routes)");
                assertTrue(scrape.body().contains("jvm_memory_used_bytes"), "JVM binders (camel.metrics.binders)");
                // the Grafana dashboard reads only series the two Quarkus processes export, as on Camel Main
                Set<String> exposed = new HashSet<>(io.github.camelbundle.deploy.PromQl.exposedSeries(scrape.body()));
                exposed.addAll(io.github.camelbundle.deploy.PromQl.exposedSeries(http.send(HttpRequest.newBuilder(
                        URI.create(apiObserve + "/metrics")).header("Accept", "text/plain;version=0.0.4").build(),
                        HttpResponse.BodyHandlers.ofString()).body()));
                List<String> missing = new java.util.ArrayList<>();
                GrafanaDashboardTest.namesByPanel(Json.MAPPER.readTree(GrafanaDashboardTest.DASHBOARD.toFile()))
                        .forEach((panel, names) -> names.stream().filter(n -> !exposed.contains(n)).forEach(n -> missing.add(panel + ": " + n)));
                assertEquals(List.of(), missing, "series the Grafana dashboard reads but Quarkus does not export");
                assertEquals(200, get(apiObserve + "/info").statusCode());
                // a write without the key is refused before its body is read (HttpGate ahead of Quarkus's body
                // handler): the 401 comes while 8 MB are still announced and unsent
                assertEquals("401", statusBeforeBody(apiPort, null));
                assertEquals("401", statusBeforeBody(apiPort, "wrong-key"));
                assertThrows(java.net.SocketTimeoutException.class, () -> statusBeforeBody(apiPort, KEY),
                        "with the key the server waits for the body it was promised");
                // the REST DSL's OpenAPI document (camel-openapi-java) on the business port, as on Camel Main
                HttpResponse<String> openApi = get(api + "/api-doc");
                assertEquals(200, openApi.statusCode(), openApi.body());
                assertTrue(Json.MAPPER.readTree(openApi.body()).path("paths").has("/analytics/data"), openApi.body());
            }
        }
    }

    /** The status of a POST /analytics/data that announces 8 MB and sends a few bytes. */
    private static String statusBeforeBody(int port, String key) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(key != null && key.equals(KEY) ? 1_500 : 10_000);
            String head = "POST /analytics/data HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 8000000\r\n" + (key == null ? "" : "X-API-Key: " + key + "\r\n") + "\r\n[{";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String line = HttpSecurityTest.readLine(socket.getInputStream());
            assertTrue(line.startsWith("HTTP/1.1 "), line);
            return line.substring(9, 12);
        }
    }

    private static JsonNode parseOrNull(byte[] value) {
        try {
            return Json.MAPPER.readTree(value);
        } catch (Exception e) {
            return null;
        }
    }



    /** The sum of the series {@code name} whose labels hold every one of {@code labels} (Prometheus text). */
    private double metric(String observe, String name, String... labels) {
        try {
            return get(observe + "/metrics").body().lines()
                    .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                    .filter(l -> List.of(labels).stream().allMatch(l::contains))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", KEY).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
