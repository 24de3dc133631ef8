package io.github.camelbundle.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The steps are paced by the records stored, whatever the size of the commits that stored them. */
class H2FileCompactionTest {

    @Test
    void aStepIsDueOncePerBatchOfRecordsStoredNotPerCommit(@TempDir Path dir) throws Exception {
        H2FileCompaction compaction = new H2FileCompaction(H2FileCompaction.TARGET_FILL_RATE, H2FileCompaction.STEP_BYTES, 500);
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("store") + ";WRITE_DELAY=0", "sa", "")) {
            int steps = 0;
            // 100 commits of 7 records: the 72nd reaches 504 records and makes the one step; 196 since
            for (int i = 0; i < 100; i++) {
                steps += compaction.stored(c, 7) ? 1 : 0;
            }
            assertEquals(1, steps, "700 records stored in small commits make one step, not 100");
            assertFalse(compaction.stored(c, 303), "the count starts again after a step: 499 since it");
            assertTrue(compaction.stored(c, 1), "the 500th record since the last step makes the next one");
            assertTrue(compaction.stored(c, 5000), "one large commit: one step");
            assertFalse(compaction.stored(c, 1), "and the count starts again");
        }
    }

    @Test
    void concurrentWritersShareOneCount(@TempDir Path dir) throws Exception {
        H2FileCompaction compaction = new H2FileCompaction(H2FileCompaction.TARGET_FILL_RATE, H2FileCompaction.STEP_BYTES, 500);
        AtomicInteger steps = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("store") + ";WRITE_DELAY=0", "sa", "")) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                done.add(writers.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        if (compaction.stored(c, 10)) {
                            steps.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            writers.shutdownNow();
        }
        // 20,000 records: 40 steps when no two writers ever reach the count together, fewer when they do
        assertTrue(steps.get() >= 1 && steps.get() <= 40, "steps: " + steps.get());
    }
}
