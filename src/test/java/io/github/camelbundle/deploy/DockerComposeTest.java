package io.github.camelbundle.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml as docker-compose itself resolves it ({@code docker-compose config}: no Docker
 * engine needed), and the Dockerfile it builds. Without the binary this fails under CI (CI set) and is
 * skipped on a developer machine.
 */
class DockerComposeTest {

    private static final Path BASEDIR = Deployment.basedir();
    private static final String COMPOSE = "docker-compose";
    private static final String DOCKERFILE = "src/main/docker/Dockerfile";
    private static final String JAR = "customer-inventory-bundle.jar";
    // a version in the tag: 3.9.1, v3.5.0, 17.0.15_6-jre, 3.9.9-eclipse-temurin-17 (not latest, not a bare major)
    private static final Pattern PINNED = Pattern.compile("[^:@\\s]+:v?\\d+\\.\\d+[\\w.-]*");
    private static JsonNode services;
    private static JsonNode volumes;

    @BeforeAll
    static void resolveComposeFile() throws Exception {
        boolean installed = Tools.onPath(COMPOSE);
        String missing = COMPOSE + " is not installed (Debian: apt-get install -y docker-compose; .ci/run installs it)";
        assumeTrue(installed || System.getenv("CI") != null, missing + ": docker-compose.yml not checked on this machine");
        assertTrue(installed, missing);

        JsonNode config = render(Map.of());
        services = config.path("services");
        volumes = config.path("volumes");
    }

    /** docker-compose config with the given environment; every variable the file reads is unset unless given. */
    private static JsonNode render(Map<String, String> variables) throws Exception {
        Map<String, String> env = new HashMap<>();
        for (String name : List.of("ANALYTICS_API_KEY", "LOG_FORMAT", "BIND_ADDRESS", "KAFKA_HOST_PORT", "TRACING_ENABLED")) {
            env.put(name, null);
        }
        env.putAll(variables);
        Tools.Result config = Tools.run(BASEDIR, 120, env, COMPOSE, "--file", "docker-compose.yml", "config");
        assertEquals(0, config.exitCode(), () -> "docker-compose config rejects docker-compose.yml:\n" + config.output());
        return Deployment.YAML.readTree(config.stdout());
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
        assertEquals("service_healthy", app.at("/depends_on/" + host + "/condition").asText(), "the app waits for a healthy broker");
    }

    @Test
    void theBrokerIsReachableFromTheHostOnPort9092() {
        JsonNode kafka = service("kafka");
        // the host's 9092 goes to the listener that advertises localhost:9092, so a client on the host
        // (the bundle run with -Dkafka.embedded.enabled=false, whose kafka.brokers is localhost:9092) reconnects to it
        Port published = ports(kafka).stream().filter(p -> p.published().equals("9092")).findFirst()
                .orElseThrow(() -> new AssertionError("the broker is published on the host's 9092: " + ports(kafka)));
        String listeners = kafka.at("/environment/KAFKA_LISTENERS").asText();
        Matcher listener = Pattern.compile("(\\w+)://:" + published.target() + "\\b").matcher(listeners);
        assertTrue(listener.find(), "a listener on the published container port " + published.target() + ": " + listeners);
        assertTrue(kafka.at("/environment/KAFKA_ADVERTISED_LISTENERS").asText().contains(listener.group(1) + "://localhost:9092"),
                "that listener advertises localhost:9092");
        assertEquals(Deployment.applicationProperties(BASEDIR).getProperty("kafka.brokers"), "localhost:9092",
                "the bundle's default kafka.brokers is that address");
    }

    @Test
    void everyPublishedPortIsBoundToLoopbackByDefault() {
        List<String> published = new ArrayList<>();
        services.fields().forEachRemaining(s -> ports(s.getValue()).forEach(p -> {
            published.add(s.getKey() + " " + p);
            assertEquals("127.0.0.1", p.hostIp(), s.getKey() + " publishes " + p + " beyond this machine");
        }));
        assertTrue(published.size() >= 7, "kafka, the API, management, Prometheus, Grafana, Kafka UI, Jaeger: " + published);
    }

    @Test
    void everyServiceHasAHealthcheckAndAnImagePinnedToAVersion() throws Exception {
        Set<String> expected = Set.of("kafka", "app", "prometheus", "grafana", "kafka-ui", "jaeger");
        Set<String> names = new java.util.TreeSet<>();
        services.fieldNames().forEachRemaining(names::add);
        assertTrue(names.containsAll(expected), "services: " + names);
        services.fields().forEachRemaining(s -> {
            JsonNode test = s.getValue().at("/healthcheck/test");
            assertTrue(test.isArray() && test.size() > 1 && !test.get(0).asText().equals("NONE"), s.getKey() + " has a healthcheck");
            String image = s.getValue().path("image").asText();
            assertTrue(PINNED.matcher(image).matches(), s.getKey() + "'s image is pinned to a version: " + image);
        });
        for (String from : Dockerfile.read(BASEDIR.resolve(DOCKERFILE)).images()) {
            assertTrue(PINNED.matcher(from).matches(), "the Dockerfile's base image is pinned to a version: " + from);
        }
        assertEquals("kafka-ui", service("kafka-ui").path("profiles").path(0).asText(), "the Kafka UI only with --profile kafka-ui");
        assertEquals("tracing", service("jaeger").path("profiles").path(0).asText(), "Jaeger only with --profile tracing");
    }

    @Test
    void brokerAndStoreDataLiveOnNamedVolumes() {
        JsonNode kafka = service("kafka");
        String logDirs = kafka.at("/environment/KAFKA_LOG_DIRS").asText();
        assertEquals("kafka-data", namedVolumeAt(kafka, logDirs), "the broker's log dir " + logDirs + " is on a named volume");
        assertEquals("app-data", namedVolumeAt(service("app"), "/app/data"), "the H2 store and parking lot are on a named volume");
        assertEquals("prometheus-data", namedVolumeAt(service("prometheus"), "/prometheus"));
    }

    @Test
    void noApiKeyIsBakedInTheAppGetsYoursOrGeneratesOne() throws Exception {
        // unset, the app sees an empty ANALYTICS_API_KEY and generates a random key (the contract)
        assertEquals("", service("app").at("/environment/ANALYTICS_API_KEY").asText(), "no default key in docker-compose.yml");
        JsonNode mine = render(Map.of("ANALYTICS_API_KEY", "k-123")).at("/services/app/environment/ANALYTICS_API_KEY");
        assertEquals("k-123", mine.asText(), "the shell's ANALYTICS_API_KEY reaches the app");
        JsonNode grafana = service("grafana");
        assertEquals("true", grafana.at("/environment/GF_SECURITY_DISABLE_INITIAL_ADMIN_CREATION").asText(),
                "Grafana creates no admin with the well-known admin/admin");
        assertEquals("Viewer", grafana.at("/environment/GF_AUTH_ANONYMOUS_ORG_ROLE").asText(), "anonymous visitors only look");
    }

    @Test
    void theImageIsBuiltFromSourcesByTheReadmesBuildCommand() {
        JsonNode app = service("app");
        assertEquals(DOCKERFILE, app.at("/build/dockerfile").asText());
        assertEquals(BASEDIR.toString(), Path.of(app.at("/build/context").asText()).toAbsolutePath().normalize().toString());

        Dockerfile dockerfile = Dockerfile.read(BASEDIR.resolve(DOCKERFILE));
        Dockerfile.Stage build = dockerfile.stages().get(0);
        Dockerfile.Stage runtime = dockerfile.stages().get(dockerfile.stages().size() - 1);
        assertEquals(2, dockerfile.stages().size(), "a build stage and a runtime stage");
        assertTrue(build.image().startsWith("maven:") && build.image().contains("17"), "Maven on Java 17: " + build.image());
        assertTrue(runtime.image().startsWith("eclipse-temurin:17") && runtime.image().endsWith("-jre"), "a Java 17 JRE: " + runtime.image());

        // the README's first line is the build command a newcomer runs; the image runs the same one
        String readmeBuild = Deployment.read(BASEDIR.resolve("README.md")).lines()
                .filter(l -> l.startsWith("mvn ")).findFirst().orElseThrow().split("&&")[0].trim();
        assertEquals("mvn -B package -DskipTests", readmeBuild);
        List<String> runs = build.arguments("RUN").stream().map(DockerComposeTest::withoutRunFlags).toList();
        assertEquals(List.of(readmeBuild), runs, "the build stage runs the README's build command, and only it");

        // that command leaves the shaded jar at target/customer-inventory-bundle.jar; the runtime stage takes it
        String pom = Deployment.read(BASEDIR.resolve("pom.xml"));
        assertTrue(pom.contains("<outputFile>${project.build.directory}/" + JAR + "</outputFile>"), "the shade plugin writes " + JAR);
        String workdir = build.arguments("WORKDIR").get(0);
        assertEquals(List.of("--from=" + build.alias() + " " + workdir + "/target/" + JAR + " /app/" + JAR), runtime.arguments("COPY"));
        assertTrue(runtime.arguments("ENTRYPOINT").get(0).contains("exec java $JAVA_OPTS -jar /app/" + JAR), "JAVA_OPTS reaches java");
    }

    @Test
    void theBuildContextHoldsEverySourceTheBuildReads() {
        Dockerfile.Stage build = Dockerfile.read(BASEDIR.resolve(DOCKERFILE)).stages().get(0);
        List<String> copied = new ArrayList<>();
        build.arguments("COPY").forEach(args -> {
            List<String> words = List.of(args.split("\\s+"));
            copied.addAll(words.subList(0, words.size() - 1));
        });
        // pom.xml, the Java and resource sources, and each folder or file the pom packages from the repository root
        List<String> inputs = new ArrayList<>(List.of("pom.xml", "src"));
        Matcher resource = Pattern.compile("<directory>\\$\\{project.basedir}/?([^<]*)</directory>(\\s*<includes><include>([^<]+)</include>)?")
                .matcher(Deployment.read(BASEDIR.resolve("pom.xml")));
        while (resource.find()) {
            String dir = resource.group(1);
            String file = resource.group(3);
            inputs.add(file == null ? dir : (dir.isEmpty() ? file : dir + "/" + file));
        }
        // projects the build invokes (maven-invoker-plugin: the Camel Quarkus variant)
        Matcher invoked = Pattern.compile("<projectsDirectory>\\$\\{project.basedir}/([^<]+)</projectsDirectory>\\s*<pomIncludes><pomInclude>([^<]+)/pom.xml</pomInclude>")
                .matcher(Deployment.read(BASEDIR.resolve("pom.xml")));
        while (invoked.find()) {
            inputs.add(invoked.group(1) + "/" + invoked.group(2));
        }
        assertTrue(inputs.containsAll(List.of("routes", "application.properties", "camel-k/roles.yaml")), "the pom's inputs: " + inputs);
        for (String input : inputs) {
            assertTrue(copied.contains(input), input + " is copied into the build stage: " + copied);
        }
        // and .dockerignore lets them into the context; local build output and data stay out
        DockerIgnore ignore = DockerIgnore.read(BASEDIR.resolve(".dockerignore"));
        for (String input : inputs) {
            assertFalse(ignore.excludes(input), ".dockerignore keeps " + input + " out of the build context");
        }
        assertFalse(ignore.excludes("src/main/java/io/github/camelbundle/App.java"));
        for (String local : List.of("target/" + JAR, "data/analytics.mv.db", ".git/HEAD", "camel-k/quarkus/target/x.jar")) {
            assertTrue(ignore.excludes(local), local + " must not reach the image");
        }
    }

    @Test
    void prometheusScrapesTheAppsManagementPortAndGrafanaIsProvisioned() {
        JsonNode prometheus = service("prometheus");
        assertTrue(mounts(prometheus).contains(BASEDIR.resolve("src/main/docker/prometheus.yml") + ":/etc/prometheus/prometheus.yml"),
                "the repository's prometheus.yml is Prometheus' configuration: " + mounts(prometheus));

        Properties app = Deployment.applicationProperties(BASEDIR);
        JsonNode scrape = Deployment.documents(BASEDIR.resolve("src/main/docker/prometheus.yml")).get(0).path("scrape_configs").get(0);
        assertEquals("/observe/metrics", scrape.path("metrics_path").asText());
        assertEquals("app:" + app.getProperty("camel.management.port"), scrape.at("/static_configs/0/targets/0").asText(),
                "the compose service 'app' on the management port");

        List<String> grafana = mounts(service("grafana"));
        assertTrue(grafana.contains(BASEDIR.resolve("observability/grafana/provisioning") + ":/etc/grafana/provisioning"), grafana.toString());
        assertTrue(grafana.contains(BASEDIR.resolve("observability/grafana/dashboards") + ":/var/lib/grafana/dashboards"), grafana.toString());
        JsonNode provider = Deployment.documents(BASEDIR.resolve("observability/grafana/provisioning/dashboards/bundle.yml")).get(0);
        assertEquals("/var/lib/grafana/dashboards", provider.at("/providers/0/options/path").asText());
        JsonNode source = Deployment.documents(BASEDIR.resolve("observability/grafana/provisioning/datasources/prometheus.yml")).get(0);
        assertEquals("http://prometheus:9090", source.at("/datasources/0/url").asText(), "the compose service");
        assertTrue(ports(prometheus).stream().anyMatch(p -> p.target().equals("9090")));
    }

    @Test
    void tracingIsOffByDefaultAndExportsToJaegerWhenOn() throws Exception {
        JsonNode app = service("app");
        assertEquals("false", app.at("/environment/TRACING_ENABLED").asText(), "tracing is off unless asked for");
        assertEquals("true", render(Map.of("TRACING_ENABLED", "true")).at("/services/app/environment/TRACING_ENABLED").asText());
        // the OTLP/HTTP receiver of the jaeger service; the SDK reads OTEL_EXPORTER_OTLP_ENDPOINT itself
        assertEquals("http://jaeger:4318", app.at("/environment/OTEL_EXPORTER_OTLP_ENDPOINT").asText());
        assertEquals("true", service("jaeger").at("/environment/COLLECTOR_OTLP_ENABLED").asText());
        assertTrue(ports(service("jaeger")).stream().anyMatch(p -> p.target().equals("16686")), "the Jaeger UI is published");
    }

    private static String withoutRunFlags(String run) {
        return run.replaceAll("^(--\\S+\\s+)+", "").trim();
    }

    /** host:container bind mounts and volume mounts, without the :ro/:rw suffix. */
    private static List<String> mounts(JsonNode service) {
        List<String> mounts = new ArrayList<>();
        service.path("volumes").forEach(v -> mounts.add(v.isTextual() ? v.asText().replaceAll(":(ro|rw)$", "")
                : v.path("source").asText() + ":" + v.path("target").asText()));
        return mounts;
    }

    private static String namedVolumeAt(JsonNode service, String containerPath) {
        for (String mount : mounts(service)) {
            int colon = mount.lastIndexOf(':');
            String source = mount.substring(0, colon);
            if (mount.substring(colon + 1).equals(containerPath)) {
                assertFalse(source.contains("/"), containerPath + " is a named volume, not a bind mount: " + source);
                assertTrue(volumes.has(source), source + " is declared under volumes:");
                return source;
            }
        }
        throw new AssertionError("nothing is mounted at " + containerPath + ": " + mounts(service));
    }

    record Port(String hostIp, String published, String target) {
    }

    /** Published ports, whether docker-compose renders them short ("127.0.0.1:8080:8080/tcp") or long. */
    private static List<Port> ports(JsonNode service) {
        List<Port> ports = new ArrayList<>();
        for (JsonNode p : service.path("ports")) {
            if (p.isTextual()) {
                String[] parts = p.asText().replaceAll("/\\w+$", "").split(":");
                String ip = parts.length == 3 ? parts[0] : "";
                ports.add(new Port(ip, parts[parts.length - 2 < 0 ? 0 : parts.length - 2], parts[parts.length - 1]));
            } else {
                ports.add(new Port(p.path("host_ip").asText(), p.path("published").asText(), p.path("target").asText()));
            }
        }
        return ports;
    }

    private static JsonNode service(String name) {
        JsonNode service = services.path(name);
        assertTrue(service.isObject(), "docker-compose.yml has no service '" + name + "'");
        return service;
    }
}
