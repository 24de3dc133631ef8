package io.github.camelbundle.delivery;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * Classifies the API's answer inside the circuit breaker: only transient failures (404, 408, 425,
 * 429, 5xx, and a 2xx that does not account for every record sent) throw, so that only they count
 * against the breaker; a 2xx and the other statuses are answers the delivery flow acts on
 * (acknowledge, stop, split). A 404 says nothing about the records: the
 * ingest never answers it, but a starting API does (Camel's HTTP server listens a few tens of ms
 * before the ingest route is started), and so does a wrong delivery.url, which then opens the breaker
 * with the records still in Kafka instead of dead-lettering every one of them.
 */
public class DeliveryStatus {

    public void check(Exchange exchange) throws TransientDeliveryException {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status >= 200 && status < 300) {
            // read once, kept as bytes: the acknowledgement reads the same answer again
            byte[] body = exchange.getMessage().getBody(byte[].class);
            exchange.getMessage().setBody(body);
            List<?> sent = exchange.getProperty("deliveryBatch", List.class);
            DeliveryAnswer.read(body, sent == null ? 0 : sent.size());
            return;
        }
        if (isTransient(status)) {
            String retryAfter = exchange.getMessage().getHeader("Retry-After", String.class);
            throw new TransientDeliveryException(status, retryAfterMillis(retryAfter),
                    exchange.getMessage().getBody(String.class));
        }
    }

    /**
     * Statuses that say delivery.url is not the ingest endpoint (a redirect, a method or media type it
     * does not take, gone) or that our key is refused: no record is at fault, so nothing is retried or
     * dead-lettered; delivery stops until a probe is answered 2xx.
     */
    public boolean stopsDelivery(int status) {
        return status >= 300 && status < 400 || status == 401 || status == 403 || status == 405 || status == 406
                || status == 410 || status == 415;
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
