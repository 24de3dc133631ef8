package io.github.camelbundle.generator;

/**
 * Decides how many records a generator emits on each timer tick: a token bucket at
 * {@code ratePerSecond} (0 = as many as a tick may carry), never more than {@code maxPerTick} at once,
 * and never beyond {@code limit} in total (0 = no limit). Called from one timer thread only.
 */
final class RatePacer {

    private final double ratePerSecond;
    private final int maxPerTick;
    private final long limit;
    private final long startNanos;
    private long emitted;

    RatePacer(double ratePerSecond, int maxPerTick, long limit, long startNanos) {
        if (ratePerSecond < 0) {
            throw new IllegalArgumentException("rate-per-second must be >= 0, was " + ratePerSecond);
        }
        if (maxPerTick < 1) {
            throw new IllegalArgumentException("max-per-tick must be >= 1, was " + maxPerTick);
        }
        this.ratePerSecond = ratePerSecond;
        this.maxPerTick = maxPerTick;
        this.limit = limit;
        this.startNanos = startNanos;
    }

    /** How many records are due now; the caller must report them with {@link #emitted(int)}. */
    int due(long nowNanos) {
        long wanted;
        if (ratePerSecond == 0) {
            wanted = maxPerTick;
        } else {
            double seconds = (nowNanos - startNanos) / 1e9;
            wanted = Math.min(maxPerTick, (long) Math.floor(seconds * ratePerSecond) - emitted);
        }
        if (limit > 0) {
            wanted = Math.min(wanted, limit - emitted);
        }
        return (int) Math.max(0, wanted);
    }

    void emitted(int count) {
        emitted += count;
    }

    long emitted() {
        return emitted;
    }

    boolean exhausted() {
        return limit > 0 && emitted >= limit;
    }
}
