package io.github.camelbundle.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml as docker-compose itself resolves it ({@code docker-compose config}: no Docker
 * engine needed). Without the binary this fails under CI (CI set) and is skipped on a developer machine.
 */
class DockerComposeTest {

    private static final Path BASEDIR = Deployment.basedir();
    private static final String COMPOSE = "docker-compose";
    private static JsonNode services;

    @BeforeAll
    static void resolveComposeFile() throws Exception {
        boolean installed = Tools.onPath(COMPOSE);
        String missing = COMPOSE + " is not installed (Debian: apt-get install -y docker-compose; .ci/run installs it)";
        assumeTrue(installed || System.getenv("CI") != null, missing + ": docker-compose.yml not checked on this machine");
        assertTrue(installed, missing);

        Tools.Result config = Tools.run(BASEDIR, 120, COMPOSE, "--file", "docker-compose.yml", "config");
        assertEquals(0, config.exitCode(), () -> "docker-compose config rejects docker-compose.yml:\n" + config.output());
        services = Deployment.YAML.readTree(config.stdout()).path("services");
    }

    @Test
    void appDisablesTheEmbeddedBrokerAndUsesTheKafkaService() {
        // environment variables override application.properties keys (KAFKA_BROKERS -> kafka.brokers)
        JsonNode app = service("app");
        assertEquals("false", app.at("/environment/KAFKA_EMBEDDED_ENABLED").asText(), "the app must not start its in-process broker");
        String javaOpts = app.at("/environment/JAVA_OPTS").asText();
        assertFalse(javaOpts.contains("-Dkafka."), "no -Dkafka.* flag in JAVA_OPTS that would override the environment: " + javaOpts);

        Matcher brokers = Pattern.compile("([^\\s:,]+):(\\d+)").matcher(app.at("/environment/KAFKA_BROKERS").asText());
        assertTrue(brokers.matches(), "KAFKA_BROKERS must name the Kafka service as host:port: " + app.at("/environment/KAFKA_BROKERS"));
        String host = brokers.group(1);
        assertEquals("kafka", host, "kafka.brokers names the compose service of the broker");
        JsonNode kafka = service(host);
        assertEquals("apache/kafka:3.9.1", kafka.path("image").asText());
        assertTrue(kafka.at("/environment/KAFKA_ADVERTISED_LISTENERS").asText().contains(host + ":" + brokers.group(2)),
                "the broker advertises the address the app is given");
        assertTrue(kafka.at("/environment/KAFKA_PROCESS_ROLES").asText().contains("controller"), "a KRaft node, no ZooKeeper");
        assertTrue(kafka.path("healthcheck").path("test").size() > 0, "the broker has a healthcheck");
        assertEquals("service_healthy", app.at("/depends_on/" + host + "/condition").asText(), "the app waits for a healthy broker");
    }

    @Test
    void appIsBuiltFromTheDockerfileAndGetsTheApiKeyFromTheEnvironment() {
        JsonNode app = service("app");
        assertEquals("src/main/docker/Dockerfile", app.at("/build/dockerfile").asText());
        assertEquals(BASEDIR.toString(), Path.of(app.at("/build/context").asText()).toAbsolutePath().normalize().toString());
        assertTrue(app.at("/environment/ANALYTICS_API_KEY").isTextual() && !app.at("/environment/ANALYTICS_API_KEY").asText().isBlank(),
                "ANALYTICS_API_KEY comes from the environment, with a local placeholder");
        List<String> ports = new ArrayList<>();
        app.path("ports").forEach(p -> ports.add(p.path("target").asText()));
        assertTrue(ports.containsAll(List.of("8080", "9876")), "the API and management ports are published: " + ports);

        String dockerfile = Deployment.read(BASEDIR.resolve("src/main/docker/Dockerfile"));
        assertTrue(dockerfile.contains("FROM eclipse-temurin:17-jre"), "a Java 17 JRE image");
        assertTrue(dockerfile.contains("COPY target/customer-inventory-bundle.jar"), "the image runs the shaded jar");
        assertTrue(dockerfile.contains("exec java $JAVA_OPTS -jar"), "JAVA_OPTS reaches the java command line");
    }

    @Test
    void prometheusScrapesTheAppsManagementPort() {
        JsonNode prometheus = service("prometheus");
        assertTrue(prometheus.path("image").asText().startsWith("prom/prometheus"));
        String mounted = prometheus.path("volumes").get(0).asText();
        assertTrue(mounted.startsWith(BASEDIR.resolve("src/main/docker/prometheus.yml") + ":/etc/prometheus/prometheus.yml"),
                "the repository's prometheus.yml is Prometheus' configuration: " + mounted);

        Properties app = Deployment.applicationProperties(BASEDIR);
        JsonNode scrape = Deployment.documents(BASEDIR.resolve("src/main/docker/prometheus.yml")).get(0).path("scrape_configs").get(0);
        assertEquals("/observe/metrics", scrape.path("metrics_path").asText());
        assertEquals("app:" + app.getProperty("camel.management.port"), scrape.at("/static_configs/0/targets/0").asText(),
                "the compose service 'app' on the management port");
    }

    private static JsonNode service(String name) {
        JsonNode service = services.path(name);
        assertTrue(service.isObject(), "docker-compose.yml has no service '" + name + "'");
        return service;
    }
}
