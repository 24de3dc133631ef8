package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.model.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without ANALYTICS_API_KEY the bundle makes a key, keeps it in an owner-only file and logs only where
 * it is and its first characters; a restart on the same data uses the same key.
 */
class GeneratedApiKeyTest {

    @TempDir
    Path data;

    @Test
    void aGeneratedKeyIsKeptInAnOwnerOnlyFileAndNeverLoggedInFull() throws Exception {
        Path keyFile = data.resolve("secrets").resolve("api-key");
        Map<String, String> noKey = Map.of("analytics.api-key", "", "analytics.api-key-file", keyFile.toString(),
                "generator.enabled", "false");
        List<String> logged = new CopyOnWriteArrayList<>();
        AbstractAppender capture = new AbstractAppender("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                logged.add(event.getMessage().getFormattedMessage());
            }
        };
        capture.start();
        LoggerContext logs = (LoggerContext) LogManager.getContext(false);
        logs.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
        logs.updateLoggers();
        String key;
        try {
            try (RunningBundle bundle = RunningBundle.start(data, noKey)) {
                key = Files.readString(keyFile).trim();
                assertTrue(key.length() >= 32, "a long random key: " + key.length() + " characters");
                assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(keyFile));
                // the key in the file is the one the API takes (and its own delivery route uses)
                assertEquals(200, post(bundle, key).statusCode());
                assertEquals(401, post(bundle, key.substring(0, key.length() - 1)).statusCode());
            }
            try (RunningBundle restarted = RunningBundle.start(data, noKey)) {
                assertEquals(key, Files.readString(keyFile).trim(), "a restart keeps the key");
                assertEquals(200, post(restarted, key).statusCode());
            }
        } finally {
            logs.getConfiguration().getRootLogger().removeAppender(capture.getName());
            logs.updateLoggers();
        }
        String all = String.join("\n", logged);
        assertFalse(all.contains(key), "the whole key is in the log");
        assertFalse(all.contains(key.substring(0, 12)), "more than a short prefix of the key is in the log");
        assertTrue(logged.stream().anyMatch(l -> l.contains(keyFile.toAbsolutePath().toString()) && l.contains(key.substring(0, 4))),
                "the log says where the key is and how it starts: " + logged.stream().filter(l -> l.contains("API key")).toList());
    }

    static HttpResponse<String> post(RunningBundle bundle, String key) throws Exception {
        String record = Json.MAPPER.writeValueAsString(AnalyticsApiTest.record("gen-key-1", "P1", "EU", 1, "1.00", "EUR"));
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(bundle.baseUrl() + "/analytics/data")).header("Content-Type", "application/json")
                        .header("X-API-Key", key).POST(HttpRequest.BodyPublishers.ofString(record)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
