package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A setting the bundle refuses at start-up ends {@code java -jar} with exit code 1 and the reason in
 * its log; before, the embedded broker (started first) kept the JVM running without any route.
 */
class StartupFailureTest {

    @TempDir
    Path data;

    @Test
    void aRefusedSettingEndsTheProcessWithAnErrorAndItsReason() throws Exception {
        Path log = data.resolve("app.log");
        try (JavaProcess app = JavaProcess.start(log, null, List.of(
                "kafka.embedded.port=0", "kafka.embedded.data-dir=" + data.resolve("kafka"),
                "camel.server.port=" + FreePorts.next(), "camel.management.port=" + FreePorts.next(),
                "analytics.datasource.url=jdbc:h2:file:" + data.resolve("analytics") + ";DB_CLOSE_ON_EXIT=FALSE",
                // no driver takes this URL: refused after the embedded broker started (PipelineWiring)
                "merge.parking.datasource.url=jdbc:nosuchdb:nowhere"))) {
            assertEquals(1, app.awaitExit(Duration.ofSeconds(90)));
            String reason = "The parking store at jdbc:nosuchdb:nowhere failed its start-up checks";
            // the log is copied by a pump thread: give it a moment after the exit
            RunningBundle.await("the reason in the log", Duration.ofSeconds(10),
                    () -> read(log).contains("The bundle did not start") && read(log).contains(reason));
            assertTrue(read(log).contains(reason));
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
