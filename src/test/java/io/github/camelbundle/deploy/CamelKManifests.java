package io.github.camelbundle.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.camelbundle.deploy.Deployment.Role;
import io.github.camelbundle.deploy.Deployment.Roles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the Camel K manifests that are derived from the repository: one {@code Integration} per role
 * of camel-k/roles.yaml, in the kustomize base (camel-k/base). Each runs the image built from the Camel
 * Quarkus build (camel-k/quarkus, camel-k/image/Dockerfile): a self-managed build, so the operator builds
 * nothing and the routes are the ones in the image, picked by {@code BUNDLE_ROLES}. What depends on the
 * cluster (brokers, Kafka security, database URL, replicas, namespace, image tag) is the overlays'.
 * CamelKManifestsTest fails when what is checked in differs from what this renders.
 *
 * <p>Run it with {@code mvn -q -B test-compile exec:java@camel-k-manifests}.
 */
public final class CamelKManifests {

    static final String BASE_DIR = Deployment.CAMEL_K_DIR + "/base";
    /** The image name the base refers to; each overlay's kustomize {@code images:} gives registry and tag. */
    static final String IMAGE = "customer-inventory-bundle";
    /** Where camel-k/image/Dockerfile puts the Quarkus build's runner jar. */
    static final String RUNNER_JAR = "/deployments/quarkus-run.jar";
    static final String API_KEY_SECRET = "customer-inventory-api-key";
    static final String API_KEY_SECRET_KEY = "api-key";
    /** The PostgreSQL password of the analytics store and the wait store (one database, one role). */
    static final String DB_SECRET = "customer-inventory-db";
    static final String DB_SECRET_KEY = "password";
    static final int MANAGEMENT_PORT = 9876;
    static final String METRICS_PATH = "/observe/metrics";
    /**
     * Kubernetes' default (30 s) equals camel.main.shutdownTimeout: the pod would be killed while Camel
     * still waits for in-flight batches. KustomizeOverlaysTest checks it stays above the timeout.
     */
    static final int TERMINATION_GRACE_SECONDS = 60;
    static final String ANALYTICS_ROLE = "analytics";
    static final String PIPELINE_ROLE = "pipeline";

    private static final YAMLMapper WRITER = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                    .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                    .build())
            .build();

    private CamelKManifests() {
    }

    public static void main(String[] args) throws IOException {
        Path basedir = args.length > 0 ? Path.of(args[0]).toAbsolutePath().normalize() : Deployment.basedir();
        for (Map.Entry<String, String> file : render(basedir).entrySet()) {
            Path target = basedir.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue());
            System.out.println("wrote " + basedir.relativize(target));
        }
    }

    static String integrationName(String role) {
        return "customer-inventory-" + role;
    }

    static String integrationFile(String role) {
        return BASE_DIR + "/" + integrationName(role) + ".yaml";
    }

    /** Every derived file, by path relative to the project root, with the content it must have. */
    static Map<String, String> render(Path basedir) {
        Map<String, String> files = new LinkedHashMap<>();
        Roles roles = Roles.load(basedir);
        for (Role role : roles.roles().values()) {
            files.put(integrationFile(role.name()), header() + yaml(integration(role)));
        }
        return files;
    }

    private static String header() {
        return """
                # GENERATED from camel-k/roles.yaml by
                # src/test/java/io/github/camelbundle/deploy/CamelKManifests.java: do not edit by hand.
                # Regenerate: %s   (CamelKManifestsTest checks it)
                """.formatted(Deployment.REGENERATE);
    }

    private static Map<String, Object> integration(Role role) {
        Map<String, Object> metadata = map(
                "name", integrationName(role.name()),
                "labels", map(
                        "app.kubernetes.io/name", integrationName(role.name()),
                        "app.kubernetes.io/part-of", "customer-inventory-bundle",
                        "app.kubernetes.io/component", role.name()),
                // annotation-based Prometheus discovery (no Prometheus Operator needed): the owner trait
                // copies them onto the pods; the prometheus trait would need the PodMonitor CRD and scrape
                // /q/metrics on the http port, while the bundle serves /observe/metrics on the management port
                "annotations", map(
                        "prometheus.io/scrape", "true",
                        "prometheus.io/port", String.valueOf(MANAGEMENT_PORT),
                        "prometheus.io/path", METRICS_PATH));

        Map<String, Object> traits = new LinkedHashMap<>();
        Map<String, Object> container = new LinkedHashMap<>();
        // a self-managed build: the operator runs this image (a synthetic IntegrationKit) and builds nothing
        container.put("image", IMAGE);
        container.putAll(role.resources());
        container.put("ports", List.of("management;" + MANAGEMENT_PORT));
        if (role.name().equals(ANALYTICS_ROLE)) {
            // the http port (8080) goes on the Service; not left to auto-detection, which reads the sources
            container.put("expose", true);
        }
        traits.put("container", container);
        // the operator starts the JVM itself (java -jar) on the image's runner jar
        traits.put("jvm", map("jar", RUNNER_JAR));
        traits.put("environment", map("vars", environment(role)));
        traits.put("health", health());
        traits.put("owner", map("targetAnnotations", List.of("prometheus.io/scrape", "prometheus.io/port", "prometheus.io/path")));
        // applies spec.template (the grace period) to the pods
        traits.put("pod", map("enabled", true));
        if (role.name().equals(ANALYTICS_ROLE)) {
            // the pipeline's delivery.url points at this Service. auto: false, or the operator decides from
            // the Integration's sources whether it serves HTTP, and a self-managed build has none (2.10 service.go)
            traits.put("service", map("enabled", true, "auto", false));
        }

        Map<String, Object> spec = new LinkedHashMap<>();
        // longer than camel.main.shutdownTimeout, so Camel finishes its in-flight batches before SIGKILL
        // (the CRD requires containers: "integration" is the operator's container, merged by name)
        spec.put("template", map("spec", map(
                "containers", List.of(map("name", "integration")),
                "terminationGracePeriodSeconds", TERMINATION_GRACE_SECONDS)));
        spec.put("traits", traits);

        return map("apiVersion", "camel.apache.org/v1", "kind", "Integration", "metadata", metadata, "spec", spec);
    }

    /**
     * What every environment shares. Environment variables, not properties files: under Quarkus an
     * environment variable (ordinal 300) beats application.properties (250) and the build's
     * microprofile-config.properties (260), and the plain-quarkus runtime reads no mounted ConfigMap
     * (apache/camel-k#6157). {@code VAR=secret:name/key} is the environment trait's reference to a Secret.
     */
    private static List<String> environment(Role role) {
        List<String> vars = new ArrayList<>(List.of(
                "BUNDLE_ROLES=" + role.name(),
                "KAFKA_EMBEDDED_ENABLED=false",
                "DELIVERY_URL=" + deliveryUrl(),
                "ANALYTICS_API_KEY=secret:" + API_KEY_SECRET + "/" + API_KEY_SECRET_KEY));
        if (role.name().equals(ANALYTICS_ROLE)) {
            vars.add("ANALYTICS_DATASOURCE_PASSWORD=secret:" + DB_SECRET + "/" + DB_SECRET_KEY);
        }
        if (role.name().equals(PIPELINE_ROLE)) {
            vars.add("MERGE_PARKING_DATASOURCE_PASSWORD=secret:" + DB_SECRET + "/" + DB_SECRET_KEY);
        }
        return vars;
    }

    static String deliveryUrl() {
        // Camel K names the Service after the Integration, port 80 -> container port 8080
        return "http://" + integrationName(ANALYTICS_ROLE) + "/analytics/data";
    }

    private static Map<String, Object> health() {
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("enabled", true);
        health.put("livenessProbeEnabled", true);
        health.put("livenessProbe", "/observe/health/live");
        health.put("livenessPort", MANAGEMENT_PORT);
        health.put("readinessProbeEnabled", true);
        health.put("readinessProbe", "/observe/health/ready");
        health.put("readinessPort", MANAGEMENT_PORT);
        // start-up waits for the topics (up to 60 s): give it 150 s before liveness counts
        health.put("startupProbeEnabled", true);
        health.put("startupProbe", "/observe/health/live");
        health.put("startupPort", MANAGEMENT_PORT);
        health.put("startupPeriod", 5);
        health.put("startupFailureThreshold", 30);
        return health;
    }

    private static String yaml(Object document) {
        try {
            return WRITER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
