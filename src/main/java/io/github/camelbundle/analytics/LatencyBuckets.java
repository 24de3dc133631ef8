package io.github.camelbundle.analytics;

/**
 * Fixed histogram buckets for delivery latency (ms), so percentiles come from counts instead of a
 * sort of every row. Resolution: exact below 128 ms; above, 64 buckets per power of two, so a
 * reported percentile is the upper bound of its bucket: never below the exact value and at most
 * 1/64 (1.6 %) above it.
 */
final class LatencyBuckets {

    private static final int EXACT = 128;
    private static final int SUB_BITS = 6;

    private LatencyBuckets() {
    }

    static int bucket(long ms) {
        if (ms < EXACT) {
            return (int) Math.max(0, ms);
        }
        int shift = 63 - Long.numberOfLeadingZeros(ms) - SUB_BITS;
        // 64..127 is the mantissa of the top 7 bits; each shift adds one octave of 64 buckets
        return EXACT + (shift - 1) * 64 + (int) ((ms >>> shift) - 64);
    }

    /** The largest latency that falls into the bucket. */
    static long upperBound(int bucket) {
        if (bucket < EXACT) {
            return bucket;
        }
        int shift = (bucket - EXACT) / 64 + 1;
        long mantissa = 64 + (bucket - EXACT) % 64;
        return ((mantissa + 1) << shift) - 1;
    }
}
