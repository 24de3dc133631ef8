package io.github.camelbundle.delivery;

/**
 * The analytics API answered with a status worth retrying (404, 408, 425, 429, 5xx), or a 2xx that
 * does not account for the batch: redelivered with backoff, counted by the circuit breaker. Carries the API's Retry-After, when it gave one.
 */
public class TransientDeliveryException extends Exception {

    private final int status;
    private final long retryAfterMillis;

    public TransientDeliveryException(int status, long retryAfterMillis, String detail) {
        super("analytics API answered HTTP " + status + (detail == null || detail.isBlank() ? "" : ": " + detail));
        this.status = status;
        this.retryAfterMillis = retryAfterMillis;
    }

    public int status() {
        return status;
    }

    /** The API's Retry-After in milliseconds, or -1 when it sent none. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }
}
