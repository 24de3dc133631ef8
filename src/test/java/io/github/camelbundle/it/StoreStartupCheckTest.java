package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.analytics.StoreDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store that fails its start-up checks says, in one line, which store, why and what to do. */
class StoreStartupCheckTest {

    @TempDir
    Path data;

    @Test
    void aDamagedH2FileIsRefusedWithOneLineThatSaysWhatToDo() throws Exception {
        Files.write(data.resolve("analytics.mv.db"), "not an H2 database, a file damaged by a full disk".repeat(200).getBytes());
        String url = "jdbc:h2:file:" + data.resolve("analytics") + ";DB_CLOSE_ON_EXIT=FALSE";
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StoreDataSource.create(url, "sa", "", 2).close());
        String message = e.getMessage();
        assertFalse(message.contains("\n"), message);
        assertTrue(message.startsWith("The analytics-store store at jdbc:h2:file:" + data.resolve("analytics")), message);
        assertTrue(message.contains("move it away to start with an empty store"), message);
    }

    @Test
    void anUnreachableDatabaseNamesTheSettingToCorrect() {
        // a port nothing listens on: PostgreSQL's driver refuses the connection at once
        String url = "jdbc:postgresql://127.0.0.1:1/analytics?connectTimeout=2";
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StoreDataSource.create(url, "analytics", "secret", 2).close());
        String message = e.getMessage();
        assertFalse(message.contains("\n"), message);
        assertFalse(message.contains("connectTimeout"), "no URL parameters: " + message);
        assertTrue(message.contains("does not answer: start it, or correct analytics.datasource.url"), message);
    }
}
