package io.github.camelbundle.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile's build stage, run the way Docker runs it, without a Docker engine: its COPY
 * instructions fill an empty directory from the build context that .dockerignore leaves, and its RUN
 * command builds there. A source the build reads but the stage does not copy fails here, as it would
 * fail {@code docker compose up --build} on a fresh clone. Differences from the real stage: the
 * machine's Maven instead of the image's, and offline ({@code -o}) from the local repository this
 * build has just filled, since CI reaches only Maven Central and the outcome does not depend on it.
 * The Camel K image (camel-k/image/Dockerfile) has the same build stage; what its runtime stage takes
 * from the build is checked here too.
 */
class DockerBuildStageTest {

    private static final Path BASEDIR = Deployment.basedir();
    private static final String JAR = "customer-inventory-bundle.jar";

    @Test
    void theBuildStageBuildsTheJarFromWhatItCopies(@TempDir Path root) throws Exception {
        Dockerfile.Stage build = Dockerfile.read(BASEDIR.resolve("src/main/docker/Dockerfile")).stages().get(0);
        DockerIgnore ignore = DockerIgnore.read(BASEDIR.resolve(".dockerignore"));
        Path workdir = root.resolve(build.arguments("WORKDIR").get(0).replaceFirst("^/", ""));
        Files.createDirectories(workdir);

        for (String copy : build.arguments("COPY")) {
            List<String> words = List.of(copy.split("\\s+"));
            assertFalse(copy.startsWith("--from"), "the build stage copies only from the context: " + copy);
            String destination = words.get(words.size() - 1);
            for (String source : words.subList(0, words.size() - 1)) {
                copyFromContext(source, destination.endsWith("/") ? workdir.resolve(destination).resolve(source)
                        : workdir.resolve(destination), ignore);
            }
        }
        assertTrue(Files.exists(workdir.resolve("pom.xml")), "the stage copies pom.xml");

        List<String> runs = build.arguments("RUN");
        assertEquals(1, runs.size(), "one RUN in the build stage: " + runs);
        // --mount=type=cache,... is BuildKit's flag, not part of the command
        String command = runs.get(0).replaceAll("^(--\\S+\\s+)+", "").trim();
        Tools.Result result = Tools.run(workdir, 1_800, "sh", "-c", command + " -o -q");
        assertEquals(0, result.exitCode(), () -> command + " failed in the build stage's directory:\n"
                + tail(result.stdout() + result.stderr()));

        Path jar = workdir.resolve("target").resolve(JAR);
        assertTrue(Files.isRegularFile(jar), "the runtime stage copies " + jar + ", which the build must leave");
        try (JarFile built = new JarFile(jar.toFile())) {
            List<String> entries = new ArrayList<>(List.of("application.properties", "bundle/roles.yaml",
                    "io/github/camelbundle/App.class"));
            try (Stream<Path> routes = Files.list(BASEDIR.resolve("routes"))) {
                routes.forEach(route -> entries.add("routes/" + route.getFileName()));
            }
            for (String entry : entries) {
                assertTrue(built.getEntry(entry) != null, JAR + " holds " + entry);
            }
            assertEquals("io.github.camelbundle.App", built.getManifest().getMainAttributes().getValue("Main-Class"));
        }

        // camel-k/image/Dockerfile builds the same way (CamelKImageTest): what its runtime stage copies
        // from the build stage (the Quarkus build's fast-jar) must be there too
        Dockerfile camelK = Dockerfile.read(BASEDIR.resolve("camel-k/image/Dockerfile"));
        String camelKWorkdir = camelK.stages().get(0).arguments("WORKDIR").get(0);
        List<String> fromBuild = camelK.stages().get(camelK.stages().size() - 1).arguments("COPY").stream()
                .filter(c -> c.startsWith("--from=")).toList();
        assertFalse(fromBuild.isEmpty(), "the Camel K image copies the Quarkus build from its build stage");
        for (String copy : fromBuild) {
            String source = copy.split("\\s+")[1];
            Path built = workdir.resolve(source.substring(camelKWorkdir.length()).replaceFirst("^/", ""));
            assertTrue(Files.exists(built), "camel-k/image/Dockerfile copies " + source + ", which the build does not leave");
        }
    }

    /** Copies one COPY source (a file or a folder) as Docker would: only what .dockerignore lets into the context. */
    private static void copyFromContext(String source, Path target, DockerIgnore ignore) throws IOException {
        Path from = BASEDIR.resolve(source);
        assertTrue(Files.exists(from), "COPY " + source + ": no such file in the context");
        assertFalse(ignore.excludes(source), "COPY " + source + ": .dockerignore keeps it out of the context");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(from)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        for (Path file : files) {
            String relative = BASEDIR.relativize(file).toString().replace('\\', '/');
            if (ignore.excludes(relative)) {
                continue;
            }
            Path to = Files.isDirectory(from) ? target.resolve(from.relativize(file).toString()) : target;
            Files.createDirectories(to.getParent());
            Files.copy(file, to);
        }
    }

    private static String tail(String output) {
        return output.length() <= 6_000 ? output : output.substring(output.length() - 6_000);
    }
}
