package io.github.camelbundle.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.deploy.Deployment.Roles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The kustomize base (camel-k/base) says what roles.yaml, application.properties and the contract say. */
class CamelKManifestsTest {

    private static final Path BASEDIR = Deployment.basedir();
    private static final Roles ROLES = Roles.load(BASEDIR);
    private static final String REGENERATE = "; regenerate the manifests with: " + Deployment.REGENERATE;

    @Test
    void everyRouteFileHasARole() throws IOException {
        Set<String> assigned = new HashSet<>(ROLES.everyRole());
        ROLES.roles().values().forEach(r -> assigned.addAll(r.routes()));
        try (Stream<Path> routes = Files.list(BASEDIR.resolve(Deployment.ROUTES_DIR))) {
            Set<String> unassigned = routes.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".camel.yaml"))
                    .filter(n -> !assigned.contains(n)).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(Set.of(), unassigned, "route files that no role runs: add them to " + Deployment.ROLES_FILE);
        }
    }

    @Test
    void generatedFilesAreUpToDate() {
        // anything edited by hand, or roles.yaml changed: stale
        for (Map.Entry<String, String> file : CamelKManifests.render(BASEDIR).entrySet()) {
            Path path = BASEDIR.resolve(file.getKey());
            assertTrue(Files.isRegularFile(path), file.getKey() + " is missing" + REGENERATE);
            String actual = Deployment.read(path);
            assertTrue(file.getValue().equals(actual), () -> file.getKey() + " is not what the generator makes of the repository ("
                    + firstDifference(file.getValue(), actual) + ")" + REGENERATE);
        }
    }

    private static String firstDifference(String expected, String actual) {
        String[] want = expected.split("\n", -1);
        String[] have = actual.split("\n", -1);
        for (int i = 0; i < Math.max(want.length, have.length); i++) {
            String w = i < want.length ? want[i] : "<end of file>";
            String h = i < have.length ? have[i] : "<end of file>";
            if (!w.equals(h)) {
                return "line " + (i + 1) + " is '" + h + "', expected '" + w + "'";
            }
        }
        return "same lines";
    }

    @Test
    void integrationsRunTheQuarkusImageNotMavenDependencies() {
        for (String role : ROLES.roles().keySet()) {
            JsonNode it = integration(role);
            String name = it.at("/metadata/name").asText();
            assertEquals("customer-inventory-" + role, name);
            // a self-managed build: the image (camel-k/image/Dockerfile) holds the routes and the bundle
            assertEquals(CamelKManifests.IMAGE, it.at("/spec/traits/container/image").asText(), name + " runs the bundle's image");
            assertEquals(CamelKManifests.RUNNER_JAR, it.at("/spec/traits/jvm/jar").asText(), name + ": the Quarkus runner jar");
            assertTrue(Deployment.read(BASEDIR.resolve("camel-k/image/Dockerfile")).contains(CamelKManifests.RUNNER_JAR),
                    "camel-k/image/Dockerfile puts the runner jar where jvm.jar says");
            for (String operatorBuild : List.of("/spec/sources", "/spec/dependencies", "/spec/traits/camel", "/spec/traits/builder")) {
                assertTrue(it.at(operatorBuild).isMissingNode(), name + ": " + operatorBuild + " asks the operator to build a kit (mvn: SNAPSHOTs, apache/camel-k#3341)");
            }
            List<String> env = texts(it.at("/spec/traits/environment/vars"));
            assertTrue(env.contains("BUNDLE_ROLES=" + role), name + " must select its role: " + env);
            assertTrue(env.contains("KAFKA_EMBEDDED_ENABLED=false"), name + " must not start the embedded broker: " + env);
            assertTrue(env.contains("DELIVERY_URL=http://customer-inventory-analytics/analytics/data"), name + ": " + env);
            assertTrue(env.contains("ANALYTICS_API_KEY=secret:customer-inventory-api-key/api-key"), name + " takes the API key from the Secret: " + env);
            JsonNode container = it.at("/spec/traits/container");
            for (String field : List.of("requestCPU", "requestMemory", "limitCPU", "limitMemory")) {
                assertEquals(ROLES.roles().get(role).resources().get(field), container.path(field).asText(), name + " container." + field + " (roles.yaml)");
            }
        }
        assertTrue(texts(integration("analytics").at("/spec/traits/environment/vars"))
                .contains("ANALYTICS_DATASOURCE_PASSWORD=secret:customer-inventory-db/password"), "the store's password from the Secret");
        assertTrue(texts(integration("pipeline").at("/spec/traits/environment/vars"))
                .contains("MERGE_PARKING_DATASOURCE_PASSWORD=secret:customer-inventory-db/password"), "the parking store's password from the Secret");
        JsonNode analytics = integration("analytics").at("/spec/traits");
        // the delivery URL needs the analytics Service; auto-detection reads sources, which a self-managed build has none of
        assertTrue(analytics.at("/service/enabled").asBoolean() && !analytics.at("/service/auto").asBoolean(true),
                "the analytics Service, not left to auto-detection: " + analytics.path("service"));
        assertTrue(analytics.at("/container/expose").asBoolean(), "the analytics http port on its Service");
    }

    @Test
    void probesUseTheManagementPort() {
        int management = Integer.parseInt(Deployment.applicationProperties(BASEDIR).getProperty("camel.management.port"));
        for (String role : ROLES.roles().keySet()) {
            JsonNode it = integration(role);
            JsonNode health = it.at("/spec/traits/health");
            assertEquals("/observe/health/live", health.path("livenessProbe").asText());
            assertEquals("/observe/health/ready", health.path("readinessProbe").asText());
            assertEquals(management, health.path("livenessPort").asInt());
            assertEquals(management, health.path("readinessPort").asInt());
            assertTrue(health.path("livenessProbeEnabled").asBoolean() && health.path("readinessProbeEnabled").asBoolean());
            assertTrue(texts(it.at("/spec/traits/container/ports")).contains("management;" + management), "the management port is declared");
        }
    }

    @Test
    void baseHardCodesNoNamespaceClusterOrReplicaCount() throws IOException {
        for (Path file : CamelKCrdValidationTest.manifestFiles()) {
            for (JsonNode doc : Deployment.documents(file)) {
                String what = file.getFileName() + " " + doc.at("/metadata/name").asText();
                assertTrue(doc.at("/metadata/labels/strimzi.io~1cluster").isMissingNode() && !doc.toString().contains("my-cluster"),
                        what + " names a Kafka cluster: that is an overlay's");
                assertTrue(doc.at("/metadata/namespace").isMissingNode(), what + " sets a namespace: that is an overlay's");
                assertTrue(doc.at("/spec/replicas").isMissingNode(), what + " sets replicas: that is an overlay's");
                assertTrue(doc.at("/spec/config/min.insync.replicas").isMissingNode(), what + " sets min.insync.replicas: that is an overlay's");
                texts(doc.at("/spec/traits/environment/vars")).forEach(v ->
                        assertFalse(v.startsWith("KAFKA_BROKERS=") || v.contains("_DATASOURCE_URL="), what + ": " + v + " is the cluster's, set it in an overlay"));
            }
        }
    }

    @Test
    void kafkaTopicsMatchTheContractAndApplicationProperties() {
        Properties app = Deployment.applicationProperties(BASEDIR);
        long hour = 3_600_000L;
        int partitions = Integer.parseInt(app.getProperty("topic.partitions"));
        long inputRetention = Long.parseLong(app.getProperty("topic.retention-hours")) * hour;
        long dlqRetention = Long.parseLong(app.getProperty("topic.dlq-retention-hours")) * hour;
        Map<String, JsonNode> topics = new java.util.TreeMap<>();
        Deployment.documents(BASEDIR.resolve(CamelKManifests.BASE_DIR + "/kafka-topics.yaml")).forEach(t -> topics.put(t.at("/metadata/name").asText(), t));

        assertEquals(new TreeSet<>(List.of(app.getProperty("topic.customers"), app.getProperty("topic.inventory"),
                app.getProperty("topic.dlq"), app.getProperty("topic.dlq-parked"))), topics.keySet());
        assertEquals(3, partitions, "the contract: 3 partitions for the input topics");
        assertEquals(24 * hour, inputRetention, "the contract: 24 h retention for the input topics");
        for (String input : List.of("topic.customers", "topic.inventory")) {
            JsonNode topic = topics.get(app.getProperty(input));
            assertEquals(partitions, topic.at("/spec/partitions").asInt(), input + " partitions (co-partitioned)");
        }
        JsonNode customers = topics.get(app.getProperty("topic.customers"));
        assertEquals(inputRetention, customers.at("/spec/config/retention.ms").asLong(), "topic.customers retention");
        // the contract: the inventory topic is a table, compacted (no retention: old products stay known)
        JsonNode inventory = topics.get(app.getProperty("topic.inventory"));
        assertEquals("compact", inventory.at("/spec/config/cleanup.policy").asText(), "topic.inventory cleanup.policy");
        assertTrue(inventory.at("/spec/config/retention.ms").isMissingNode(), "topic.inventory has no retention");
        for (String dlq : List.of("topic.dlq", "topic.dlq-parked")) {
            assertEquals(dlqRetention, topics.get(app.getProperty(dlq)).at("/spec/config/retention.ms").asLong(), dlq + " retention");
        }
    }

    @Test
    void baseKustomizationListsEveryManifest() throws IOException {
        Path base = BASEDIR.resolve(CamelKManifests.BASE_DIR);
        Set<String> notResources = Set.of("kustomization.yaml", "image-field.yaml");
        try (Stream<Path> files = Files.list(base)) {
            Set<String> onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .filter(n -> !notResources.contains(n)).collect(Collectors.toCollection(TreeSet::new));
            Set<String> listed = CamelKCrdValidationTest.manifestFiles().stream().map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(onDisk, listed, "camel-k/base/kustomization.yaml resources");
        }
    }

    private static JsonNode integration(String role) {
        return Deployment.documents(BASEDIR.resolve(CamelKManifests.integrationFile(role))).get(0);
    }

    static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
