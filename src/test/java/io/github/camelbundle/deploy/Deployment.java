package io.github.camelbundle.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** The repository's deployment files (routes/, camel-k/, ../shared/camel-k-crds) as the tests and the generator see them. */
final class Deployment {

    static final ObjectMapper YAML = new YAMLMapper();

    static final String ROUTES_DIR = "routes";
    static final String CAMEL_K_DIR = "camel-k";
    static final String ROLES_FILE = "camel-k/roles.yaml";
    /** Where CI clones the steering repository's shared/ folder: beside this repository. */
    static final String CRDS_DIR = "../shared/camel-k-crds";

    static final String REGENERATE = "mvn -q -B test-compile exec:java@camel-k-manifests";

    private Deployment() {
    }

    /** The project's root: surefire sets {@code basedir}; exec:java and IDEs run from it. */
    static Path basedir() {
        String basedir = System.getProperty("basedir");
        return Path.of(basedir != null ? basedir : System.getProperty("user.dir")).toAbsolutePath().normalize();
    }

    static Path crdDirectory(Path basedir) {
        Path dir = basedir.resolve(CRDS_DIR).normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("The Camel K / Strimzi CRDs are missing: expected " + dir
                    + " (the shared/ folder cloned beside this repository, with camel-k-crds/ in it)."
                    + " The manifests under camel-k/ are validated against those schemas and cannot be checked without them.");
        }
        return dir;
    }

    /** Every YAML document of a file, in order (a file may hold several, separated by ---). */
    static List<JsonNode> documents(Path file) {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<JsonNode> result = new ArrayList<>();
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    result.add(doc);
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The repository's application.properties, as java.util.Properties reads it. */
    static Properties applicationProperties(Path basedir) {
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(basedir.resolve("application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read application.properties", e);
        }
        return properties;
    }

    /** The role table of camel-k/roles.yaml. */
    record Role(String name, List<String> routes, int replicas, Map<String, String> resources) {
    }

    record Roles(List<String> everyRole, Map<String, Role> roles) {

        static Roles load(Path basedir) {
            JsonNode root = documents(basedir.resolve(ROLES_FILE)).get(0);
            List<String> everyRole = strings(root.path("everyRole"));
            Map<String, Role> roles = new LinkedHashMap<>();
            root.path("roles").fields().forEachRemaining(entry -> {
                JsonNode role = entry.getValue();
                Map<String, String> resources = new LinkedHashMap<>();
                role.path("resources").fields().forEachRemaining(r -> resources.put(r.getKey(), r.getValue().asText()));
                roles.put(entry.getKey(), new Role(entry.getKey(), strings(role.path("routes")),
                        role.path("replicas").asInt(1), resources));
            });
            return new Roles(everyRole, roles);
        }

        /** The route files a role runs, as they exist in routes/: its own first, then the shared ones. */
        List<String> routeFiles(String role, Path basedir) {
            List<String> files = new ArrayList<>(roles.get(role).routes());
            files.addAll(everyRole);
            return files.stream().filter(f -> Files.isRegularFile(basedir.resolve(ROUTES_DIR).resolve(f))).toList();
        }

        private static List<String> strings(JsonNode array) {
            List<String> values = new ArrayList<>();
            array.forEach(v -> values.add(v.asText()));
            return values;
        }
    }
}
