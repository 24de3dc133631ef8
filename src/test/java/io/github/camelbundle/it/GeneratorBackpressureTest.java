package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The customer generator, unlimited and with no merge running, stops publishing once the merge group is
 * generator.max-lag events behind (the filter in generators.camel.yaml), instead of filling the broker.
 */
class GeneratorBackpressureTest {

    private static final long MAX_LAG = 3000;

    @TempDir
    Path data;

    @Test
    void unlimitedGeneratorHoldsBackAtMaxLag() throws Exception {
        try (RunningBundle bundle = RunningBundle.start(data, Map.of(
                "bundle.roles", "generators",
                "camel.server.enabled", "false",
                "generator.customers.rate-per-second", "0",
                "generator.customers.limit", "0",
                "generator.max-per-tick", "200",
                "generator.max-lag", Long.toString(MAX_LAG)))) {
            RunningBundle.await("the lag limit reached", Duration.ofSeconds(60),
                    () -> generated(bundle) >= MAX_LAG);
            // the observer reads the lag every 2 s: the generator may run a little past the limit, then holds
            double settled = -1;
            for (int i = 0; i < 40 && settled < 0; i++) {
                double before = generated(bundle);
                Thread.sleep(3000);
                if (generated(bundle) == before) {
                    settled = before;
                }
            }
            assertTrue(settled >= MAX_LAG, "the generator never stopped publishing: " + generated(bundle));
            Thread.sleep(3000);
            assertEquals(settled, generated(bundle), "still held back");
        }
    }

    private static double generated(RunningBundle bundle) {
        try {
            return bundle.metric("integration_records_generated_total", "type=\"customer\"");
        } catch (Exception e) {
            return -1;
        }
    }
}
