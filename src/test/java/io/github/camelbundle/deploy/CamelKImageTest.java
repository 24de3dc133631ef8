package io.github.camelbundle.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * camel-k/image/Dockerfile, the image the Integrations run: built from the same context as the jar's
 * image (src/main/docker/Dockerfile, the root .dockerignore), holding the Quarkus build where the root
 * build's maven-invoker-plugin puts it, and its runner jar where the Integrations' jvm.jar says.
 */
class CamelKImageTest {

    private static final Path BASEDIR = Deployment.basedir();
    private static final Dockerfile IMAGE = Dockerfile.read(BASEDIR.resolve("camel-k/image/Dockerfile"));
    private static final Pattern PINNED = Pattern.compile("[^:@\\s]+:v?\\d+\\.\\d+[\\w.-]*");

    @Test
    void theBuildStageCopiesWhatTheJarImagesBuildStageCopies() {
        Dockerfile.Stage jarBuild = Dockerfile.read(BASEDIR.resolve("src/main/docker/Dockerfile")).stages().get(0);
        Dockerfile.Stage build = IMAGE.stages().get(0);
        // DockerComposeTest proves those inputs are the pom's and that .dockerignore lets them in
        assertEquals(jarBuild.arguments("COPY"), build.arguments("COPY"), "the same sources from the same build context");
        assertTrue(build.arguments("RUN").get(0).contains("mvn -B package"), "the root build, which builds camel-k/quarkus too");
    }

    @Test
    void theRuntimeHoldsTheQuarkusBuildAndItsRunnerJar() {
        String pom = Deployment.read(BASEDIR.resolve("pom.xml"));
        Matcher project = Pattern.compile("<pomInclude>([^<]+)/pom.xml</pomInclude>").matcher(pom);
        Matcher clone = Pattern.compile("<cloneProjectsTo>\\$\\{project.build.directory}/([^<]+)</cloneProjectsTo>").matcher(pom);
        assertTrue(project.find() && clone.find(), "pom.xml builds the Quarkus project with maven-invoker-plugin into target/");
        String quarkusApp = "target/" + clone.group(1) + "/" + project.group(1) + "/target/quarkus-app";
        Dockerfile.Stage build = IMAGE.stages().get(0);
        Dockerfile.Stage runtime = IMAGE.stages().get(IMAGE.stages().size() - 1);
        String workdir = build.arguments("WORKDIR").get(0);
        List<String> copies = runtime.arguments("COPY");
        for (String part : List.of("lib/", "quarkus/", "app/", "quarkus-run.jar")) {
            assertTrue(copies.stream().anyMatch(c -> c.startsWith("--from=" + build.alias() + " " + workdir + "/" + quarkusApp + "/" + part + " ")),
                    "the runtime stage copies " + quarkusApp + "/" + part + ": " + copies);
        }
        assertTrue(copies.stream().anyMatch(c -> c.endsWith(" " + CamelKManifests.RUNNER_JAR)), "the runner jar lands where jvm.jar says: " + copies);
        assertTrue(runtime.arguments("ENTRYPOINT").get(0).contains("-jar " + CamelKManifests.RUNNER_JAR), "docker run starts the same jar");
    }

    @Test
    void imagesArePinnedAndTheProcessIsNotRoot() {
        for (String image : IMAGE.images()) {
            assertTrue(PINNED.matcher(image).matches(), image + " is pinned to a version");
        }
        List<String> users = IMAGE.stages().get(IMAGE.stages().size() - 1).arguments("USER");
        assertFalse(users.isEmpty() || users.get(users.size() - 1).matches("root|0"), "the runtime runs as a non-root user: " + users);
    }
}
