package io.github.camelbundle.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.deploy.Deployment.Roles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

/** The Camel K manifests say what routes/, application.properties, the pom and the contract say. */
class CamelKManifestsTest {

    private static final Path BASEDIR = Deployment.basedir();
    private static final Roles ROLES = Roles.load(BASEDIR);
    private static final String REGENERATE = "; regenerate the manifests with: " + Deployment.REGENERATE;

    @Test
    void integrationSourcesEqualTheRouteFilesOfTheirRole() throws IOException {
        for (String role : ROLES.roles().keySet()) {
            String manifest = CamelKManifests.integrationFile(role);
            JsonNode sources = integration(role).path("spec").path("sources");
            List<String> names = new ArrayList<>();
            sources.forEach(s -> names.add(s.path("name").asText()));
            assertEquals(ROLES.routeFiles(role, BASEDIR), names, manifest + " lists other route files than camel-k/roles.yaml gives role " + role + REGENERATE);
            for (JsonNode source : sources) {
                String name = source.path("name").asText();
                byte[] route = Files.readAllBytes(BASEDIR.resolve(Deployment.ROUTES_DIR).resolve(name));
                assertTrue(java.util.Arrays.equals(route, source.path("content").asText().getBytes(StandardCharsets.UTF_8)),
                        () -> manifest + ": the source " + name + " differs from routes/" + name + REGENERATE);
            }
        }
    }

    @Test
    void everyRouteFileHasARole() throws IOException {
        Set<String> assigned = new HashSet<>(ROLES.everyRole());
        ROLES.roles().values().forEach(r -> assigned.addAll(r.routes()));
        try (Stream<Path> routes = Files.list(BASEDIR.resolve(Deployment.ROUTES_DIR))) {
            Set<String> unassigned = routes.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".camel.yaml"))
                    .filter(n -> !assigned.contains(n)).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(Set.of(), unassigned, "route files that no role runs: add them to " + Deployment.ROLES_FILE + REGENERATE);
        }
    }

    @Test
    void generatedFilesAreUpToDate() {
        // anything edited by hand, a route, application.properties or the pom's version changed: stale
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
    void eachRoleGetsTheClusterOverridesAndTheBundleJar() {
        Properties app = Deployment.applicationProperties(BASEDIR);
        String bundle = "mvn:io.github.camelbundle:customer-inventory-bundle:" + pomVersion();
        for (String role : ROLES.roles().keySet()) {
            JsonNode it = integration(role);
            String name = it.path("metadata").path("name").asText();
            assertEquals("customer-inventory-" + role, name);
            List<String> env = texts(it.at("/spec/traits/environment/vars"));
            assertTrue(env.contains("KAFKA_EMBEDDED_ENABLED=false"), name + " must not start the embedded broker: " + env);
            assertTrue(env.contains("KAFKA_BROKERS=my-cluster-kafka-bootstrap:9092"), name + " must use the Strimzi bootstrap service: " + env);
            assertTrue(env.contains("BUNDLE_ROLES=" + role), name + " must select its role: " + env);
            assertTrue(env.contains("DELIVERY_URL=http://customer-inventory-analytics/analytics/data"), name + ": " + env);
            assertTrue(env.contains("ANALYTICS_API_KEY=secret:customer-inventory-api-key/api-key"), name + " takes the API key from the Secret: " + env);
            assertTrue(texts(it.at("/spec/dependencies")).contains(bundle), name + " must depend on " + bundle);
            assertEquals("plain-quarkus", it.at("/spec/traits/camel/runtimeProvider").asText());
            assertTrue(it.at("/spec/traits/camel/runtimeVersion").asText().matches("3\\.33\\.\\d+"), "a Quarkus Platform on Camel 4.18");
            assertEquals(List.of("configmap:customer-inventory-properties"), texts(it.at("/spec/traits/mount/configs")));

            int management = Integer.parseInt(app.getProperty("camel.management.port"));
            JsonNode health = it.at("/spec/traits/health");
            assertEquals("/observe/health/live", health.path("livenessProbe").asText());
            assertEquals("/observe/health/ready", health.path("readinessProbe").asText());
            assertEquals(management, health.path("livenessPort").asInt());
            assertEquals(management, health.path("readinessPort").asInt());
            assertTrue(health.path("livenessProbeEnabled").asBoolean() && health.path("readinessProbeEnabled").asBoolean());
            assertTrue(it.at("/spec/traits/prometheus/enabled").asBoolean(), name + " enables the prometheus trait");
            JsonNode container = it.at("/spec/traits/container");
            for (String field : List.of("requestCPU", "requestMemory", "limitCPU", "limitMemory")) {
                assertTrue(container.hasNonNull(field), name + " sets container." + field);
            }
        }
        assertTrue(integration("analytics").at("/spec/traits/service/enabled").asBoolean(), "the delivery URL needs the analytics Service");
    }

    @Test
    void pipelineRunsOneReplicaPerPartition() {
        int partitions = Integer.parseInt(Deployment.applicationProperties(BASEDIR).getProperty("topic.partitions"));
        assertEquals(partitions, integration("pipeline").at("/spec/replicas").asInt(),
                "one merge consumer per partition of the co-partitioned input topics");
    }

    @Test
    void kafkaTopicsMatchTheContractAndApplicationProperties() {
        Properties app = Deployment.applicationProperties(BASEDIR);
        long hour = 3_600_000L;
        int partitions = Integer.parseInt(app.getProperty("topic.partitions"));
        long inputRetention = Long.parseLong(app.getProperty("topic.retention-hours")) * hour;
        long dlqRetention = Long.parseLong(app.getProperty("topic.dlq-retention-hours")) * hour;
        Map<String, JsonNode> topics = new java.util.TreeMap<>();
        Deployment.documents(BASEDIR.resolve("camel-k/kafka-topics.yaml")).forEach(t -> topics.put(t.at("/metadata/name").asText(), t));

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
        for (JsonNode topic : topics.values()) {
            assertEquals("my-cluster", topic.at("/metadata/labels/strimzi.io~1cluster").asText(), "the Topic Operator's cluster label");
        }
    }

    @Test
    void kustomizationListsEveryManifestAndThePropertiesConfigMap() throws IOException {
        JsonNode kustomization = Deployment.documents(BASEDIR.resolve("camel-k/kustomization.yaml")).get(0);
        Set<String> manifests = CamelKCrdValidationTest.manifestFiles().stream()
                .map(p -> BASEDIR.resolve(Deployment.CAMEL_K_DIR).relativize(p).toString()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(manifests, new TreeSet<>(texts(kustomization.path("resources"))), "kustomization.yaml resources");
        JsonNode configMap = kustomization.path("configMapGenerator").get(0);
        assertEquals(CamelKManifests.PROPERTIES_CONFIG_MAP, configMap.path("name").asText());
        assertEquals(List.of("application.properties"), texts(configMap.path("files")));
        assertTrue(kustomization.at("/generatorOptions/disableNameSuffixHash").asBoolean(),
                "the Integrations name the ConfigMap literally, so it must keep its name");
    }

    @Test
    void kustomizeBuildsTheBundle() throws Exception {
        assumeTrue(Tools.onPath("kubectl"), "kubectl is not installed: kustomize build not checked");
        Tools.Result build = Tools.run(BASEDIR, 120, "kubectl", "kustomize", Deployment.CAMEL_K_DIR);
        assertEquals(0, build.exitCode(), () -> "kubectl kustomize camel-k failed:\n" + build.output());
        List<JsonNode> resources = Deployment.YAML.readerFor(JsonNode.class).<JsonNode>readValues(build.stdout()).readAll();
        Map<String, Long> kinds = resources.stream().collect(Collectors.groupingBy(r -> r.path("kind").asText(), java.util.TreeMap::new, Collectors.counting()));
        assertEquals(Map.of("ConfigMap", 1L, "Integration", 3L, "KafkaTopic", 4L), kinds);
        JsonNode configMap = resources.stream().filter(r -> r.path("kind").asText().equals("ConfigMap")).findFirst().orElseThrow();
        assertEquals(CamelKManifests.PROPERTIES_CONFIG_MAP, configMap.at("/metadata/name").asText());
        assertEquals(Deployment.read(BASEDIR.resolve("application.properties")), configMap.at("/data/application.properties").asText(),
                "the ConfigMap carries the repository's application.properties as it is");
    }

    private static JsonNode integration(String role) {
        return Deployment.documents(BASEDIR.resolve(CamelKManifests.integrationFile(role))).get(0);
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static String pomVersion() {
        String dependency = CamelKManifests.bundleDependency(BASEDIR);
        return dependency.substring(dependency.lastIndexOf(':') + 1);
    }
}
