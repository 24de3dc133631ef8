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

/** The steps are paced by the records stored and the commits that stored them, not one per commit. */
class H2FileCompactionTest {

    @TempDir
    Path dir;

    private Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("store") + ";WRITE_DELAY=0", "sa", "");
    }

    private static H2FileCompaction pacing(int recordsPerStep, int commitsPerStep) {
        return new H2FileCompaction(H2FileCompaction.TARGET_FILL_RATE, H2FileCompaction.STEP_BYTES, recordsPerStep,
                commitsPerStep);
    }

    /** How many of {@code commits} commits of {@code records} records each made a step. */
    private static int steps(H2FileCompaction compaction, Connection c, int commits, int records) {
        int steps = 0;
        for (int i = 0; i < commits; i++) {
            steps += compaction.stored(c, records) ? 1 : 0;
        }
        return steps;
    }

    @Test
    void aStepIsDueEachTimeTheRecordsStoredPassAMultipleOfTheBatch() throws Exception {
        H2FileCompaction compaction = pacing(500, 1000);
        try (Connection c = connect()) {
            // 100 commits of 7 records: the 72nd passes 500 (504), the rest reach 700
            assertEquals(1, steps(compaction, c, 100, 7), "700 records stored in small commits make one step, not 100");
            assertFalse(compaction.stored(c, 299), "999 stored: no multiple of 500 passed");
            assertTrue(compaction.stored(c, 1), "1,000 stored: the next step, nothing carried over lost");
            assertTrue(compaction.stored(c, 5000), "one large commit passing several multiples: one step");
            assertFalse(compaction.stored(c, 1), "then the count goes on from 6,001");
        }
    }

    @Test
    void commitsThatStoreFewRecordsStillMakeAStepEveryFewDozen() throws Exception {
        H2FileCompaction compaction = pacing(500, 50);
        try (Connection c = connect()) {
            assertEquals(4, steps(compaction, c, 200, 1), "200 commits of one record: a step every 50 commits");
        }
    }

    @Test
    void concurrentWritersShareOneCountAndLoseNone() throws Exception {
        H2FileCompaction compaction = pacing(500, 1_000_000);
        AtomicInteger steps = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                done.add(writers.submit(() -> {
                    try (Connection c = connect()) {
                        for (int i = 0; i < 500; i++) {
                            if (compaction.stored(c, 10)) {
                                steps.incrementAndGet();
                            }
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
        assertEquals(40, steps.get(), "20,000 records from four writers in commits of 10: one step per 500");
    }
}
