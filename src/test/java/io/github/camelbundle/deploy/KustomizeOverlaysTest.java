package io.github.camelbundle.deploy;

import static io.github.camelbundle.deploy.CamelKManifestsTest.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.deploy.Deployment.Roles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The overlays as the real kustomize renders them ({@code kubectl kustomize}), checked against the CRDs in
 * ../shared/camel-k-crds and against what the bundle needs to keep its data and read its settings on a
 * cluster. Without kubectl this is skipped on a developer machine, and fails under CI (CI set) when apt
 * can install it.
 */
class KustomizeOverlaysTest {

    private static final Path BASEDIR = Deployment.basedir();
    private static final Properties APP = Deployment.applicationProperties(BASEDIR);
    private static final String DEV = "camel-k/overlays/dev";
    private static final String PROD = "camel-k/overlays/prod";
    /** Kinds Kubernetes itself serves: no CRD to check them against. */
    private static final Set<String> BUILT_IN = Set.of("v1 Service", "v1 Secret", "apps/v1 StatefulSet");
    /** Custom resources whose CRDs ../shared/camel-k-crds does not hold; checked field by field below instead. */
    private static final Set<String> NO_CRD_HERE = Set.of("kafka.strimzi.io/v1 KafkaUser", "monitoring.coreos.com/v1 PodMonitor");
    /** The heading of docs/camel-quarkus.md's table of the Secrets nobody's manifest creates. */
    private static final String HAND_MADE_SECRETS = "### Secrets created by hand";
    private static final Pattern SECRET_REF = Pattern.compile("secret:([a-z0-9.-]+)(?:/([^@]+))?(?:@(.+))?");

    private static CrdSchemas crds;
    private static final Map<String, List<JsonNode>> RENDERED = new LinkedHashMap<>();

    @BeforeAll
    static void render() throws Exception {
        boolean installed = Tools.onPath("kubectl");
        String missing = "kubectl (with kustomize 5) is not installed: the overlays are not rendered on this machine";
        assumeTrue(installed || (System.getenv("CI") != null && aptCanInstallKubectl()), missing);
        assertTrue(installed, missing + " (.ci/run installs it where apt can)");
        crds = CrdSchemas.load(Deployment.crdDirectory(BASEDIR));
        RENDERED.put(DEV, kustomize(DEV));
        RENDERED.put(PROD, kustomize(PROD));
    }

    static boolean aptCanInstallKubectl() throws Exception {
        if (!Tools.onPath("apt-cache")) {
            return false;
        }
        Tools.Result policy = Tools.run(BASEDIR, 60, "apt-cache", "policy", "kubectl");
        return policy.stdout().contains("Candidate:") && !policy.stdout().contains("Candidate: (none)");
    }

    static List<JsonNode> kustomize(String dir) throws Exception {
        Tools.Result build = Tools.run(BASEDIR, 120, "kubectl", "kustomize", dir);
        assertEquals(0, build.exitCode(), () -> "kubectl kustomize " + dir + " failed:\n" + build.output());
        List<JsonNode> docs = new ArrayList<>(Deployment.YAML.readerFor(JsonNode.class).<JsonNode>readValues(build.stdout()).readAll());
        docs.removeIf(d -> d == null || d.isNull() || d.isMissingNode());
        return docs;
    }

    @Test
    void eachOverlayRendersTheBundleAndItsStore() {
        Map<String, Long> common = Map.of("Integration", 3L, "KafkaTopic", 4L, "Service", 1L, "StatefulSet", 1L);
        assertEquals(new TreeMap<>(common), kinds(RENDERED.get(DEV)), DEV);
        Map<String, Long> prod = new TreeMap<>(common);
        prod.put("KafkaUser", 1L);
        assertEquals(prod, kinds(RENDERED.get(PROD)), PROD);
    }

    @Test
    void everyRenderedResourceValidatesAgainstItsCrd() {
        Map<String, List<String>> failures = new TreeMap<>();
        RENDERED.forEach((overlay, docs) -> {
            for (JsonNode doc : docs) {
                String type = doc.path("apiVersion").asText() + " " + doc.path("kind").asText();
                String what = overlay + ": " + type + " " + doc.at("/metadata/name").asText();
                if (BUILT_IN.contains(type) || NO_CRD_HERE.contains(type)) {
                    continue;
                }
                List<String> errors = crds.validate(doc);
                if (!errors.isEmpty()) {
                    failures.put(what, errors);
                }
            }
        });
        assertTrue(failures.isEmpty(), () -> "rendered resources the cluster would reject or silently prune:\n" + failures);
    }

    @Test
    void everyResourceLandsInTheOverlaysNamespace() {
        Map<String, String> namespaces = Map.of(DEV, "customer-inventory-dev", PROD, "customer-inventory");
        RENDERED.forEach((overlay, docs) -> docs.forEach(doc -> assertEquals(namespaces.get(overlay), doc.at("/metadata/namespace").asText(),
                overlay + ": " + doc.path("kind").asText() + " " + doc.at("/metadata/name").asText())));
    }

    @Test
    void noIntegrationKeepsDataInThePodAndTheStoresAreOnPostgresql() {
        RENDERED.forEach((overlay, docs) -> {
            Set<String> services = names(docs, "Service");
            for (JsonNode it : ofKind(docs, "Integration")) {
                String name = overlay + ": " + it.at("/metadata/name").asText();
                JsonNode mount = it.at("/spec/traits/mount");
                assertTrue(mount.path("emptyDirs").isMissingNode() || mount.path("emptyDirs").isEmpty(), name + " mounts an emptyDir: " + mount);
                // the plain-quarkus runtime does not read conf.d/_configmaps (apache/camel-k#6157)
                assertTrue(mount.path("configs").isMissingNode(), name + " passes configuration with mount.configs, which the runtime ignores");
                it.at("/spec/template/spec/volumes").forEach(v ->
                        assertTrue(v.path("emptyDir").isMissingNode(), name + " declares an emptyDir volume: " + v));
                Map<String, String> env = env(it);
                String role = env.get("BUNDLE_ROLES");
                List<String> stores = new ArrayList<>();
                if ("analytics".equals(role)) {
                    stores.add("ANALYTICS_DATASOURCE");
                }
                if ("pipeline".equals(role)) {
                    stores.add("MERGE_PARKING_DATASOURCE");
                }
                for (String store : stores) {
                    String url = env.getOrDefault(store + "_URL", "");
                    Matcher jdbc = Pattern.compile("jdbc:postgresql://([^:/]+)(?::\\d+)?/\\w+.*").matcher(url);
                    assertTrue(jdbc.matches(), name + ": " + store + "_URL must be PostgreSQL, not the H2 file default: '" + url + "'");
                    assertTrue(services.contains(jdbc.group(1)), name + ": " + store + "_URL names host " + jdbc.group(1) + ", no Service of that name: " + services);
                    assertTrue(env.containsKey(store + "_USERNAME"), name + ": " + store + "_USERNAME");
                    assertTrue(env.getOrDefault(store + "_PASSWORD", "").startsWith("secret:"), name + ": " + store + "_PASSWORD from a Secret");
                }
            }
            for (JsonNode db : ofKind(docs, "StatefulSet")) {
                Set<String> claims = new TreeSet<>();
                db.at("/spec/volumeClaimTemplates").forEach(c -> claims.add(c.at("/metadata/name").asText()));
                db.at("/spec/template/spec/containers").forEach(c -> c.path("volumeMounts").forEach(m ->
                        assertTrue(claims.contains(m.path("name").asText()), overlay + ": the database's " + m.path("mountPath").asText()
                                + " is not on a PersistentVolumeClaim")));
                assertFalse(claims.isEmpty(), overlay + ": the database keeps its data on a PersistentVolumeClaim");
            }
        });
    }

    @Test
    void everyEnvironmentVariableIsOneTheBundleReads() {
        String properties = Deployment.read(BASEDIR.resolve("application.properties"));
        Set<String> keys = new TreeSet<>();
        APP.stringPropertyNames().forEach(k -> keys.add(k.toUpperCase().replaceAll("[.\\-]", "_")));
        RENDERED.forEach((overlay, docs) -> {
            for (JsonNode it : ofKind(docs, "Integration")) {
                List<String> names = new ArrayList<>();
                texts(it.at("/spec/traits/environment/vars")).forEach(v -> names.add(v.substring(0, v.indexOf('='))));
                assertEquals(new TreeSet<>(names).size(), names.size(), overlay + " " + it.at("/metadata/name").asText() + " sets a variable twice: " + names);
                for (String name : names) {
                    // KAFKA_BROKERS -> kafka.brokers (MicroProfile Config's mapping), or read as {{env:NAME}}
                    assertTrue(keys.contains(name) || properties.contains("{{env:" + name + ":"),
                            overlay + ": " + name + " is neither an application.properties key in environment form nor an {{env:}} the file reads");
                }
            }
        });
    }

    @Test
    void everySecretReferenceResolves() {
        Map<String, Set<String>> handMade = handMadeSecrets();
        RENDERED.forEach((overlay, docs) -> {
            Map<String, Set<String>> available = new TreeMap<>(handMade);
            ofKind(docs, "Secret").forEach(s -> available.put(s.at("/metadata/name").asText(), fieldNames(s.path("data"), s.path("stringData"))));
            // the Strimzi User Operator makes a Secret per KafkaUser; the Cluster Operator the cluster CA's
            ofKind(docs, "KafkaUser").forEach(u -> available.put(u.at("/metadata/name").asText(), Set.of("password", "sasl.jaas.config")));
            docs.forEach(d -> Optional.ofNullable(d.at("/metadata/labels/strimzi.io~1cluster").textValue())
                    .ifPresent(cluster -> available.put(cluster + "-cluster-ca-cert", Set.of("ca.crt", "ca.p12", "ca.password"))));

            List<String> references = new ArrayList<>();
            for (JsonNode doc : docs) {
                String what = doc.path("kind").asText() + " " + doc.at("/metadata/name").asText();
                texts(doc.at("/spec/traits/environment/vars")).forEach(v -> references.add(what + " env " + v.substring(v.indexOf('=') + 1)));
                texts(doc.at("/spec/traits/mount/resources")).forEach(r -> references.add(what + " mount " + r));
                texts(doc.at("/spec/traits/mount/configs")).forEach(r -> references.add(what + " mount " + r));
                doc.findValues("secretKeyRef").forEach(ref -> references.add(what + " secretKeyRef secret:"
                        + ref.path("name").asText() + "/" + ref.path("key").asText()));
                doc.findValues("secret").forEach(vol -> references.add(what + " volume secret:" + vol.path("secretName").asText()));
            }
            int checked = 0;
            for (String reference : references) {
                Matcher secret = SECRET_REF.matcher(reference.substring(reference.lastIndexOf(' ') + 1));
                if (!secret.matches()) {
                    continue;
                }
                checked++;
                String name = secret.group(1);
                assertTrue(available.containsKey(name), overlay + ": " + reference + " names Secret " + name + ", which nothing here creates,"
                        + " Strimzi does not make and docs/camel-quarkus.md (" + HAND_MADE_SECRETS + ") does not list: " + available.keySet());
                if (secret.group(2) != null) {
                    assertTrue(available.get(name).contains(secret.group(2)), overlay + ": " + reference + ": Secret " + name + " has no key "
                            + secret.group(2) + " (it has " + available.get(name) + ")");
                }
            }
            assertTrue(checked >= 4, overlay + ": the API key and database password references at least: " + references);
        });
    }

    /** docs/camel-quarkus.md's table under {@link #HAND_MADE_SECRETS}: | `name` | `key`, `key` | what |. */
    static Map<String, Set<String>> handMadeSecrets() {
        String doc = Deployment.read(BASEDIR.resolve("docs/camel-quarkus.md"));
        int start = doc.indexOf(HAND_MADE_SECRETS);
        assertTrue(start >= 0, "docs/camel-quarkus.md has a section '" + HAND_MADE_SECRETS + "'");
        String section = doc.substring(start + HAND_MADE_SECRETS.length());
        int next = section.indexOf("\n#");
        section = next < 0 ? section : section.substring(0, next);
        Map<String, Set<String>> secrets = new TreeMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9.-]+)` \\| ([^|]+)\\|").matcher(section);
        while (row.find()) {
            Set<String> keys = new TreeSet<>();
            Matcher key = Pattern.compile("`([^`]+)`").matcher(row.group(2));
            while (key.find()) {
                keys.add(key.group(1));
            }
            secrets.put(row.group(1), keys);
        }
        assertFalse(secrets.isEmpty(), "docs/camel-quarkus.md: the table under '" + HAND_MADE_SECRETS + "' lists no Secret");
        return secrets;
    }

    @Test
    void podsOutliveCamelsShutdownTimeout() {
        RENDERED.forEach((overlay, docs) -> {
            for (JsonNode it : ofKind(docs, "Integration")) {
                Map<String, String> env = env(it);
                // camel.main.shutdownTimeout: the Integration's override, else application.properties, else Camel's 45 s
                int shutdown = Integer.parseInt(env.getOrDefault("CAMEL_MAIN_SHUTDOWNTIMEOUT", APP.getProperty("camel.main.shutdownTimeout", "45")).trim());
                JsonNode grace = it.at("/spec/template/spec/terminationGracePeriodSeconds");
                int seconds = grace.isMissingNode() ? 30 : grace.asInt(); // Kubernetes' default
                // the JVM still has to stop Quarkus and close its pools once Camel is done
                assertTrue(seconds >= shutdown + 10, overlay + " " + it.at("/metadata/name").asText() + ": terminationGracePeriodSeconds "
                        + seconds + " must exceed camel.main.shutdownTimeout " + shutdown + " s by 10 s, or the pod is killed mid-shutdown");
                assertTrue(it.at("/spec/traits/pod/enabled").asBoolean(false), "the pod trait applies spec.template");
            }
        });
    }

    /** Every KafkaTopic of an overlay (there must be some) with these replicas and min.insync.replicas, on my-cluster. */
    private static void assertTopics(String overlay, List<JsonNode> docs, int replicas, String minInsync) {
        List<JsonNode> topics = ofKind(docs, "KafkaTopic");
        assertFalse(topics.isEmpty(), overlay + " renders its topics");
        for (JsonNode topic : topics) {
            String name = topic.at("/metadata/name").asText();
            assertEquals(replicas, topic.at("/spec/replicas").asInt(), overlay + ": " + name + " replicas");
            assertEquals(minInsync, topic.at("/spec/config/min.insync.replicas").asText(), overlay + ": " + name + " min.insync.replicas");
            assertEquals("my-cluster", topic.at("/metadata/labels/strimzi.io~1cluster").asText(),
                    overlay + ": " + name + " Topic Operator's cluster");
        }
    }

    @Test
    void devRunsOnOneBrokerWithOnePodPerRole() {
        List<JsonNode> docs = RENDERED.get(DEV);
        assertTopics("dev", docs, 1, "1");
        for (JsonNode it : ofKind(docs, "Integration")) {
            assertEquals(1, it.at("/spec/replicas").asInt(), "dev: one pod of " + it.at("/metadata/name").asText());
            Map<String, String> env = env(it);
            assertEquals("PLAINTEXT", env.getOrDefault("KAFKA_SECURITY_PROTOCOL", APP.getProperty("kafka.security-protocol")), "dev stays plaintext");
            assertFalse(env.containsKey("KAFKA_SASL_JAAS_CONFIG"), "dev has no SASL user");
        }
    }

    @Test
    void prodReplicatesThreeWaysAndKeepsPodsThroughDisruptions() {
        List<JsonNode> docs = RENDERED.get(PROD);
        assertTopics("prod", docs, 3, "2");
        Roles roles = Roles.load(BASEDIR);
        int partitions = Integer.parseInt(APP.getProperty("topic.partitions"));
        for (JsonNode it : ofKind(docs, "Integration")) {
            String name = it.at("/metadata/name").asText();
            String role = env(it).get("BUNDLE_ROLES");
            int replicas = it.at("/spec/replicas").asInt();
            assertEquals(roles.roles().get(role).replicas(), replicas, "prod: " + name + " replicas as camel-k/roles.yaml gives them");
            if (replicas > 1) {
                JsonNode pdb = it.at("/spec/traits/pdb");
                assertTrue(pdb.path("enabled").asBoolean(), "prod: " + name + " has a PodDisruptionBudget (pdb trait)");
                int maxUnavailable = Integer.parseInt(pdb.path("maxUnavailable").asText("0"));
                assertTrue(maxUnavailable >= 1 && maxUnavailable < replicas, "prod: " + name + " keeps pods through a drain: " + pdb);
            }
        }
        assertEquals(partitions, ofKind(docs, "Integration").stream().filter(i -> "pipeline".equals(env(i).get("BUNDLE_ROLES")))
                .findFirst().orElseThrow().at("/spec/replicas").asInt(), "prod: one merge consumer per partition");
    }

    @Test
    void prodTalksScramOverTlsToStrimziWithTheKafkaUsersSecret() {
        List<JsonNode> docs = RENDERED.get(PROD);
        JsonNode user = ofKind(docs, "KafkaUser").get(0);
        String userName = user.at("/metadata/name").asText();
        String cluster = user.at("/metadata/labels/strimzi.io~1cluster").asText();
        assertEquals("scram-sha-512", user.at("/spec/authentication/type").asText(), "the KafkaUser's SCRAM credentials");
        for (JsonNode it : ofKind(docs, "Integration")) {
            String name = it.at("/metadata/name").asText();
            Map<String, String> env = env(it);
            assertEquals(cluster + "-kafka-bootstrap", env.getOrDefault("KAFKA_BROKERS", "").split(":")[0], name + ": the cluster's bootstrap Service");
            assertEquals("SASL_SSL", env.get("KAFKA_SECURITY_PROTOCOL"), name);
            assertEquals("SCRAM-SHA-512", env.get("KAFKA_SASL_MECHANISM"), name);
            assertEquals("secret:" + userName + "/sasl.jaas.config", env.get("KAFKA_SASL_JAAS_CONFIG"), name + ": the JAAS line the User Operator writes");
            String caSecret = cluster + "-cluster-ca-cert";
            assertEquals("secret:" + caSecret + "/ca.password", env.get("KAFKA_SSL_TRUSTSTORE_PASSWORD"), name);
            assertEquals("PKCS12", env.getOrDefault("KAFKA_SSL_TRUSTSTORE_TYPE", APP.getProperty("kafka.ssl-truststore-type")), name);
            String mounted = texts(it.at("/spec/traits/mount/resources")).stream().filter(r -> r.startsWith("secret:" + caSecret + "@"))
                    .map(r -> r.substring(r.indexOf('@') + 1)).findFirst().orElse("<not mounted>");
            assertEquals(mounted + "/ca.p12", env.get("KAFKA_SSL_TRUSTSTORE_LOCATION"), name + ": the trust store is the mounted CA Secret's ca.p12");
        }
        // the ACLs cover every topic the bundle reads and writes, and the merge's consumer group
        Map<String, Set<String>> acls = new TreeMap<>();
        user.at("/spec/authorization/acls").forEach(acl -> acls.computeIfAbsent(acl.at("/resource/type").asText() + ":" + acl.at("/resource/name").asText(),
                k -> new TreeSet<>()).addAll(texts(acl.path("operations"))));
        for (String topic : List.of("topic.customers", "topic.inventory", "topic.dlq", "topic.dlq-parked")) {
            assertTrue(acls.getOrDefault("topic:" + APP.getProperty(topic), Set.of()).containsAll(Set.of("Read", "Write", "Describe")),
                    "KafkaUser ACLs for " + topic + ": " + acls);
        }
        assertTrue(acls.getOrDefault("group:" + APP.getProperty("merge.group-id"), Set.of()).containsAll(Set.of("Read", "Describe")),
                "KafkaUser ACLs for merge.group-id: " + acls);
        // the DLQ replay's cursors are consumer groups named with a prefix (DeadLetterReplayer)
        String replayPrefix = replayGroupPrefix();
        boolean prefixAcl = false;
        for (JsonNode acl : user.at("/spec/authorization/acls")) {
            prefixAcl |= acl.at("/resource/type").asText().equals("group") && acl.at("/resource/patternType").asText().equals("prefix")
                    && replayPrefix.startsWith(acl.at("/resource/name").asText()) && texts(acl.path("operations")).containsAll(List.of("Read", "Describe"));
        }
        assertTrue(prefixAcl, "KafkaUser ACLs for the DLQ replay's groups " + replayPrefix + "*: " + acls);
    }

    private static String replayGroupPrefix() {
        try {
            var field = io.github.camelbundle.dlq.DeadLetterReplayer.class.getDeclaredField("GROUP_PREFIX");
            field.setAccessible(true);
            return (String) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("DeadLetterReplayer.GROUP_PREFIX names the replay's consumer groups", e);
        }
    }

    @Test
    void metricsAreScrapedByAnnotationWithoutThePrometheusOperator() throws Exception {
        String port = APP.getProperty("camel.management.port");
        // the Quarkus build serves the metrics under the management root path (docs/camel-quarkus.md)
        String quarkus = Deployment.read(BASEDIR.resolve("camel-k/quarkus/src/main/resources/META-INF/microprofile-config.properties"));
        assertTrue(quarkus.contains("quarkus.management.root-path = /observe") && !quarkus.contains("quarkus.micrometer.export.prometheus.path"),
                "the Quarkus build serves /observe/metrics (root path /observe, Micrometer's default 'metrics')");
        RENDERED.forEach((overlay, docs) -> {
            for (JsonNode it : ofKind(docs, "Integration")) {
                String name = overlay + " " + it.at("/metadata/name").asText();
                JsonNode annotations = it.at("/metadata/annotations");
                assertEquals("true", annotations.path("prometheus.io/scrape").asText(), name);
                assertEquals(port, annotations.path("prometheus.io/port").asText(), name);
                assertEquals("/observe/metrics", annotations.path("prometheus.io/path").asText(), name);
                assertTrue(texts(it.at("/spec/traits/owner/targetAnnotations")).containsAll(List.of("prometheus.io/scrape", "prometheus.io/port", "prometheus.io/path")),
                        name + ": the owner trait copies the annotations onto the pods");
                assertFalse(it.at("/spec/traits/prometheus/enabled").asBoolean(false), name + ": the prometheus trait needs the Prometheus Operator");
            }
            assertTrue(ofKind(docs, "PodMonitor").isEmpty(), overlay + ": a PodMonitor only from components/podmonitor");
        });

        // the optional component, on top of prod: scrapes the port the Integrations declare, at the same path
        Path dir = BASEDIR.resolve("target/kustomize-podmonitor");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [../../camel-k/overlays/prod]
                components: [../../camel-k/components/podmonitor]
                """);
        List<JsonNode> docs = kustomize(BASEDIR.relativize(dir).toString());
        JsonNode monitor = ofKind(docs, "PodMonitor").get(0);
        JsonNode endpoint = monitor.at("/spec/podMetricsEndpoints/0");
        assertEquals("/observe/metrics", endpoint.path("path").asText());
        for (JsonNode it : ofKind(docs, "Integration")) {
            assertTrue(texts(it.at("/spec/traits/container/ports")).contains(endpoint.path("port").asText() + ";" + port),
                    "the PodMonitor's port is the Integration's management port");
        }
        assertEquals(names(docs, "Integration"), new TreeSet<>(texts(monitor.at("/spec/selector/matchExpressions/0/values"))),
                "the PodMonitor selects every Integration's pods");
    }

    @Test
    void everyIntegrationRunsThePinnedImage() {
        RENDERED.forEach((overlay, docs) -> {
            Set<String> images = new TreeSet<>();
            for (JsonNode it : ofKind(docs, "Integration")) {
                images.add(it.at("/spec/traits/container/image").asText());
                assertTrue(it.at("/spec/dependencies").isMissingNode() && it.at("/spec/sources").isMissingNode(),
                        overlay + ": no operator build (mvn: dependencies, sources)");
            }
            assertEquals(1, images.size(), overlay + ": every role runs the same image: " + images);
            String image = images.iterator().next();
            assertTrue(image.matches(".*/?customer-inventory-bundle:[\\w.-]+") && !image.endsWith(":latest"),
                    overlay + ": the image has a tag, so a new one is a new rollout: " + image);
        });
        assertTrue(ofKind(RENDERED.get(PROD), "Integration").get(0).at("/spec/traits/container/image").asText().contains("/"),
                "prod pulls the image from a registry");
    }

    private static Map<String, Long> kinds(List<JsonNode> docs) {
        return docs.stream().collect(Collectors.groupingBy(d -> d.path("kind").asText(), TreeMap::new, Collectors.counting()));
    }

    private static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    private static Set<String> names(List<JsonNode> docs, String kind) {
        return ofKind(docs, kind).stream().map(d -> d.at("/metadata/name").asText()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, String> env(JsonNode integration) {
        Map<String, String> env = new LinkedHashMap<>();
        texts(integration.at("/spec/traits/environment/vars")).forEach(v -> env.put(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1)));
        return env;
    }

    private static Set<String> fieldNames(JsonNode... maps) {
        Set<String> names = new TreeSet<>();
        for (JsonNode map : maps) {
            map.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }
}
