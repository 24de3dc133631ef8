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
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;

/**
 * Writes the Camel K manifests that are derived from the repository: one {@code Integration} per role
 * of camel-k/roles.yaml, whose {@code spec.sources} are the role's route files copied byte for byte,
 * and camel-k/application.properties, a byte-identical copy of the root file (kustomize only reads
 * files below its kustomization, so {@code ../application.properties} is not allowed).
 * CamelKManifestsTest fails when what is checked in differs from what this renders.
 *
 * <p>Run it with {@code mvn -q -B test-compile exec:java@camel-k-manifests}.
 */
public final class CamelKManifests {

    /**
     * With runtimeProvider plain-quarkus, Camel K uses runtimeVersion as the Quarkus Platform version
     * (io.quarkus.platform:quarkus-bom and quarkus-camel-bom, and the quarkus-maven-plugin). 3.33.2 brings
     * Camel Quarkus 3.33.1 on Camel 4.18.2: the 4.18 LTS line this bundle is built on (4.18.0), and the
     * default of Camel K 2.11.
     */
    static final String RUNTIME_VERSION = "3.33.2";
    static final String KAFKA_BOOTSTRAP = "my-cluster-kafka-bootstrap:9092";
    static final String PROPERTIES_CONFIG_MAP = "customer-inventory-properties";
    static final String API_KEY_SECRET = "customer-inventory-api-key";
    static final String API_KEY_SECRET_KEY = "api-key";
    static final int MANAGEMENT_PORT = 9876;
    /** Where Camel K mounts spec.sources (and, for plain-quarkus, what it sets camel.main.routes-include-pattern to). */
    static final String SOURCES_PATTERN = "file:/etc/camel/sources/**";
    static final String ANALYTICS_ROLE = "analytics";

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
            Files.writeString(target, file.getValue());
            System.out.println("wrote " + basedir.relativize(target));
        }
    }

    static String integrationName(String role) {
        return "customer-inventory-" + role;
    }

    static String integrationFile(String role) {
        return Deployment.CAMEL_K_DIR + "/" + integrationName(role) + ".yaml";
    }

    /** Every derived file, by path relative to the project root, with the content it must have. */
    static Map<String, String> render(Path basedir) {
        Map<String, String> files = new LinkedHashMap<>();
        Roles roles = Roles.load(basedir);
        String bundle = bundleDependency(basedir);
        for (Role role : roles.roles().values()) {
            files.put(integrationFile(role.name()), header() + yaml(integration(basedir, roles, role, bundle)));
        }
        files.put(Deployment.CAMEL_K_DIR + "/application.properties", Deployment.read(basedir.resolve("application.properties")));
        return files;
    }

    private static String header() {
        return """
                # GENERATED from routes/, application.properties and camel-k/roles.yaml by
                # src/test/java/io/github/camelbundle/deploy/CamelKManifests.java: do not edit by hand.
                # Regenerate: %s   (CamelKManifestsTest checks it)
                """.formatted(Deployment.REGENERATE);
    }

    private static Map<String, Object> integration(Path basedir, Roles roles, Role role, String bundle) {
        Map<String, Object> metadata = map(
                "name", integrationName(role.name()),
                "labels", map(
                        "app.kubernetes.io/name", integrationName(role.name()),
                        "app.kubernetes.io/part-of", "customer-inventory-bundle",
                        "app.kubernetes.io/component", role.name()),
                // annotation-based Prometheus discovery: the prometheus trait's PodMonitor scrapes the
                // http port, but the bundle serves /observe/metrics on the management port
                "annotations", map(
                        "prometheus.io/scrape", "true",
                        "prometheus.io/port", String.valueOf(MANAGEMENT_PORT),
                        "prometheus.io/path", "/observe/metrics"));

        List<Object> sources = new ArrayList<>();
        for (String file : roles.routeFiles(role.name(), basedir)) {
            sources.add(map("name", file, "content", Deployment.read(basedir.resolve(Deployment.ROUTES_DIR).resolve(file))));
        }

        Map<String, Object> traits = new LinkedHashMap<>();
        traits.put("camel", map("runtimeProvider", "plain-quarkus", "runtimeVersion", RUNTIME_VERSION));
        // Quarkus build-time settings: serve health and metrics where the Camel Main runtime does
        // (/observe/health/live|ready and /observe/metrics on the management port)
        traits.put("builder", map("properties", List.of(
                "quarkus.management.enabled=true",
                "quarkus.management.port=" + MANAGEMENT_PORT,
                "quarkus.management.root-path=/observe",
                "quarkus.smallrye-health.root-path=health",
                "quarkus.micrometer.export.prometheus.path=metrics")));
        Map<String, String> resources = role.resources();
        Map<String, Object> container = new LinkedHashMap<>(resources);
        container.put("ports", List.of("management;" + MANAGEMENT_PORT));
        traits.put("container", container);
        traits.put("environment", map("vars", environment(role)));
        traits.put("health", health());
        // application.properties (kustomize configMapGenerator) as the runtime's properties file;
        // a writable data/ directory for the H2 store
        traits.put("mount", map(
                "configs", List.of("configmap:" + PROPERTIES_CONFIG_MAP),
                "emptyDirs", List.of("data:/deployments/data")));
        traits.put("owner", map("targetAnnotations", List.of("prometheus.io/scrape", "prometheus.io/port", "prometheus.io/path")));
        traits.put("prometheus", map("enabled", true));
        if (role.name().equals(ANALYTICS_ROLE)) {
            // the pipeline's delivery.url points at this Service
            traits.put("service", map("enabled", true));
        }

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("replicas", role.replicas());
        spec.put("dependencies", List.of(bundle, "mvn:io.quarkus:quarkus-micrometer-registry-prometheus"));
        spec.put("sources", sources);
        spec.put("traits", traits);

        return map("apiVersion", "camel.apache.org/v1", "kind", "Integration", "metadata", metadata, "spec", spec);
    }

    /**
     * The cluster overrides. Environment variables and not camel.properties: under Quarkus an
     * environment variable (ordinal 300) beats every properties file (250), whatever order Camel K
     * lists the mounted files in, and the same application.properties stays untouched.
     */
    private static List<String> environment(Role role) {
        return List.of(
                "KAFKA_EMBEDDED_ENABLED=false",
                "KAFKA_BROKERS=" + KAFKA_BOOTSTRAP,
                "DELIVERY_URL=" + deliveryUrl(),
                "BUNDLE_ROLES=" + role.name(),
                "ANALYTICS_API_KEY=secret:" + API_KEY_SECRET + "/" + API_KEY_SECRET_KEY,
                // the role's sources, not the copies of every route file packaged in the bundle's jar
                "CAMEL_MAIN_ROUTESINCLUDEPATTERN=" + SOURCES_PATTERN,
                // the jar's wiring (beans, topics, API key); App.main is not the entry point under Quarkus
                "CAMEL_MAIN_CONFIGURATIONCLASSES=io.github.camelbundle.BundleConfiguration",
                // Quarkus serves the HTTP ports here; Camel Main's own servers would collide with them
                "CAMEL_SERVER_ENABLED=false",
                "CAMEL_MANAGEMENT_ENABLED=false");
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

    /** The bundle's own (thin) jar, as the pom names it. */
    static String bundleDependency(Path basedir) {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element project = factory.newDocumentBuilder().parse(basedir.resolve("pom.xml").toFile()).getDocumentElement();
            return "mvn:" + child(project, "groupId") + ":" + child(project, "artifactId") + ":" + child(project, "version");
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the coordinates in pom.xml", e);
        }
    }

    private static String child(Element parent, String name) {
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element.getTextContent().trim();
            }
        }
        throw new IllegalStateException("pom.xml has no project/" + name);
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
