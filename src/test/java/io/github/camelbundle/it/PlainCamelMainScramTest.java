package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.FreePorts;
import io.github.camelbundle.model.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routes of routes/ and application.properties run by Camel's own {@code org.apache.camel.main.Main}
 * (not the bundle's main class), as {@code camel run} would, against a broker in its own process that
 * the bundle may only reach over SASL/SCRAM-SHA-512: every customer event is stored and a poison record
 * is dead-lettered and reported by /admin/dlq, so the routes' endpoints and the clients the bundle
 * builds by hand (topic set-up, observer, DLQ report) all took the one set of Kafka settings.
 */
class PlainCamelMainScramTest {

    private static final int CUSTOMERS = 600;
    private static final String KEY = "plain-main-key";
    private static final String USER = "bundle";

    @TempDir
    Path data;

    @Test
    void plainCamelMainRunsTheRoutesOverScram() throws Exception {
        int plainPort = FreePorts.next();
        int scramPort = FreePorts.next();
        String plain = "127.0.0.1:" + plainPort;
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        try (JavaProcess broker = JavaProcess.start(data.resolve("broker.log"), "BROKER READY", List.of(), "broker",
                "--port=" + plainPort, "--scram-port=" + scramPort, "--data-dir=" + data.resolve("kafka"))) {
            broker.awaitReady(Duration.ofSeconds(60));
            addScramUser(plain, USER, password);

            int httpPort = FreePorts.next();
            int management = FreePorts.next();
            Map<String, String> env = Map.of("KAFKA_SASL_JAAS_CONFIG",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER
                            + "\" password=\"" + password + "\";");
            try (JavaProcess bundle = JavaProcess.start(data.resolve("bundle.log"), null, env, List.of(
                    // the route files, as `camel run routes/*.camel.yaml` names them
                    "camel.main.routesIncludePattern=file:routes/*.camel.yaml",
                    "kafka.embedded.enabled=false", "kafka.brokers=127.0.0.1:" + scramPort,
                    "kafka.security-protocol=SASL_PLAINTEXT", "kafka.sasl-mechanism=SCRAM-SHA-512",
                    "analytics.api-key=" + KEY, "camel.server.port=" + httpPort, "camel.management.port=" + management,
                    "analytics.datasource.url=jdbc:h2:file:" + data.resolve("analytics") + ";DB_CLOSE_ON_EXIT=FALSE",
                    "merge.parking.datasource.url=jdbc:h2:file:" + data.resolve("parking") + ";DB_CLOSE_ON_EXIT=FALSE",
                    "generator.customers.limit=" + CUSTOMERS, "generator.customers.rate-per-second=0",
                    "generator.inventory.limit=300", "generator.inventory.rate-per-second=0", "generator.products=200",
                    "monitor.interval=5s"), "org.apache.camel.main.Main")) {
                bundle.awaitHttpOk("http://127.0.0.1:" + management + "/observe/health/ready", Duration.ofSeconds(90));
                // a customer event no schema accepts (the bundle made the topics by now): it must reach the DLQ
                KafkaProbe.send(plain, "customer-data", List.of(Map.entry("p-1", "{not json".getBytes(StandardCharsets.UTF_8))));
                StoredRecords store = new StoredRecords("http://127.0.0.1:" + httpPort, KEY);
                RunningBundle.await(CUSTOMERS + " stored", Duration.ofSeconds(120), () -> store.count() == CUSTOMERS);

                Set<String> published = new HashSet<>();
                for (ConsumerRecord<String, byte[]> r : KafkaProbe.readAll(plain, "customer-data")) {
                    JsonNode event = parseOrNull(r.value());
                    if (event != null) {
                        published.add(event.get("eventId").asText());
                    }
                }
                assertEquals(CUSTOMERS, published.size());
                assertEquals(published, store.eventIds(), "every published event stored, nothing else");

                RunningBundle.await("the poison record dead-lettered", Duration.ofSeconds(60),
                        () -> KafkaProbe.readAll(plain, "integration-dlq").size() == 1);
                assertEquals("INVALID_JSON", KafkaProbe.headers(KafkaProbe.readAll(plain, "integration-dlq").get(0)).get("dlq.reason"));
                JsonNode report = Json.MAPPER.readTree(store.get("/admin/dlq"));
                assertEquals(1, report.get("depth").asLong(), "the DLQ report's own client read the topic: " + report);
            }
        }
    }

    private static void addScramUser(String plainBrokers, String user, String password) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plainBrokers);
        try (Admin admin = Admin.create(props)) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all().get();
        }
    }

    private static JsonNode parseOrNull(byte[] value) {
        try {
            return Json.MAPPER.readTree(value);
        } catch (Exception e) {
            return null;
        }
    }



}
