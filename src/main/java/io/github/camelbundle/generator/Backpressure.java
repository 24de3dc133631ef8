package io.github.camelbundle.generator;

import java.util.function.LongSupplier;

/**
 * Holds the customer generator back while the merge group is more than {@code generator.max-lag}
 * events behind, so "as fast as possible" means as fast as the pipeline takes it, not a backlog that
 * grows without bound. Lag comes from the broker (committed offsets), so it works across processes.
 */
public class Backpressure {

    private final LongSupplier lag;
    private final long maxLag;

    public Backpressure(LongSupplier lag, long maxLag) {
        this.lag = lag;
        this.maxLag = maxLag;
    }

    /** True when the generator may publish now (no limit set, lag unknown, or lag under the limit). */
    public boolean open() {
        if (maxLag <= 0) {
            return true;
        }
        long current = lag.getAsLong();
        return current < 0 || current < maxLag;
    }
}
