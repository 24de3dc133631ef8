package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.FreePorts;
import io.github.camelbundle.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle as {@code java -jar} runs it, with {@code -Dlog.format=json}: every line it prints is a JSON
 * object, and lines logged inside a route carry Camel's route and exchange ids (its MDC logging).
 */
class JsonLogsTest {

    @TempDir
    Path data;

    @Test
    void everyLineIsJsonAndRouteLinesCarryRouteAndExchangeIds() throws Exception {
        Path log = data.resolve("app.log");
        int management = FreePorts.next();
        try (JavaProcess app = JavaProcess.start(log, null, List.of(
                "log.format=json",
                // the application's logging configuration, not the tests' log4j2-test.properties on this classpath
                "log4j2.configurationFile=log4j2.properties",
                "monitor.interval=1s", "generator.customers.limit=200", "generator.inventory.limit=100", "generator.products=50",
                "kafka.embedded.port=0", "kafka.embedded.data-dir=" + data.resolve("kafka"),
                "camel.server.port=" + FreePorts.next(), "camel.management.port=" + management,
                "analytics.datasource.url=jdbc:h2:file:" + data.resolve("analytics") + ";DB_CLOSE_ON_EXIT=FALSE",
                "merge.parking.datasource.url=jdbc:h2:file:" + data.resolve("parking") + ";DB_CLOSE_ON_EXIT=FALSE"))) {
            app.awaitHttpOk("http://localhost:" + management + "/observe/health/ready", Duration.ofSeconds(180));
            // the monitor route logs its status line every second, inside an exchange
            RunningBundle.await("a monitor line", Duration.ofSeconds(30), () -> read(log).contains("\"routeId\":\"monitor-status-line\""));
        }
        List<String> lines = Files.readAllLines(log);
        assertTrue(lines.size() > 5, "the bundle logged: " + lines);
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            JsonNode event = Json.MAPPER.readTree(line);   // throws on a line that is not JSON
            assertTrue(event.isObject() && event.has("timestamp") && event.has("level") && event.has("message"), line);
            events.add(event);
        }
        JsonNode monitor = events.stream().filter(e -> e.path("routeId").asText().equals("monitor-status-line")).findFirst().orElseThrow();
        assertTrue(monitor.path("message").asText().startsWith("delivered "), monitor.toString());
        assertTrue(!monitor.path("exchangeId").asText().isBlank(), "the exchange id: " + monitor);
        assertTrue(events.stream().anyMatch(e -> !e.has("routeId")), "lines outside a route have no route id");
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
