package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Java DSL route file dropped into the routes folder is compiled, loaded and runs beside the YAML flows. */
class JavaDslRouteTest {

    @TempDir
    Path data;

    @Test
    void aJavaRouteFileInTheRoutesFolderRuns() throws Exception {
        Path routes = Files.createDirectories(data.resolve("routes"));
        try (var files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        Files.writeString(routes.resolve("HelloJavaRoute.java"), """
                import org.apache.camel.builder.RouteBuilder;

                public class HelloJavaRoute extends RouteBuilder {
                    @Override
                    public void configure() {
                        from("timer:hello-java?period=100").routeId("hello-java-dsl")
                            .setBody(constant("hello from a Java DSL route file"))
                            .to("log:hello-java?level=DEBUG");
                    }
                }
                """);
        Map<String, String> props = Map.of("generator.enabled", "false", "bundle.routes-location", "file:" + routes);
        try (RunningBundle bundle = RunningBundle.start(data, props)) {
            assertNotNull(bundle.context().getRoute("hello-java-dsl"), "the Java route is loaded");
            assertNotNull(bundle.context().getRoute("kafka-to-merge"), "the YAML flows are loaded beside it");
            RunningBundle.await("the Java route processed exchanges", Duration.ofSeconds(20), () -> {
                try {
                    return bundle.metric("camel_exchanges_total", "routeId=\"hello-java-dsl\"") >= 3;
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }
}
