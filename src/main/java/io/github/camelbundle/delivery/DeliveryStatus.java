package io.github.camelbundle.delivery;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.apache.camel.Exchange;

/**
 * Classifies the API's answer inside the circuit breaker: only transient failures (404, 408, 425,
 * 429, 5xx) throw, so that only they count against the breaker; 2xx and the other 4xx are answers
 * the delivery flow acts on (acknowledge, split, stop). A 404 says nothing about the records: the
 * ingest never answers it, but a starting API does (Camel's HTTP server listens a few tens of ms
 * before the ingest route is started), and so does a wrong delivery.url, which then opens the breaker
 * with the records still in Kafka instead of dead-lettering every one of them.
 */
public class DeliveryStatus {

    public void check(Exchange exchange) throws TransientDeliveryException {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (isTransient(status)) {
            String retryAfter = exchange.getMessage().getHeader("Retry-After", String.class);
            throw new TransientDeliveryException(status, retryAfterMillis(retryAfter),
                    exchange.getMessage().getBody(String.class));
        }
    }

    static boolean isTransient(int status) {
        return status == 404 || status == 408 || status == 425 || status == 429 || status >= 500;
    }

    /** Retry-After as seconds or as an HTTP date; -1 when absent or unreadable. */
    static long retryAfterMillis(String value) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim()) * 1000);
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toMillis());
            } catch (RuntimeException notADate) {
                return -1;
            }
        }
    }
}
