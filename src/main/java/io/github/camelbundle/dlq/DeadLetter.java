package io.github.camelbundle.dlq;

/**
 * A record that cannot go on, with everything the dead-letter topic's headers need: why, where it
 * came from, and the bytes to publish (the original bytes for input failures, the merged record for
 * delivery failures).
 */
public record DeadLetter(
        String reason,
        String errorClass,
        String errorMessage,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        String key,
        byte[] payload,
        String route,
        int replayCount) {

    public static final String INVALID_JSON = "INVALID_JSON";
    public static final String SCHEMA_VIOLATION = "SCHEMA_VIOLATION";
    public static final String OVERSIZED = "OVERSIZED";
    public static final String NO_INVENTORY = "NO_INVENTORY";
    public static final String REJECTED_BY_API = "REJECTED_BY_API";
    public static final String DELIVERY_EXHAUSTED = "DELIVERY_EXHAUSTED";
}
