package io.github.camelbundle.delivery;

import io.github.camelbundle.monitor.PipelineMetrics;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Called by the error handler the moment a delivery attempt fails, before it computes the next
 * delay: when the API's answer carried Retry-After (429, 503), that (capped at the longest backoff)
 * becomes the delay; otherwise the exponential backoff with jitter applies. Also counts the retries.
 * Written by hand: Camel's redelivery policy has no notion of a server-advised delay.
 */
public class RetryAfterAdvisor {

    private final long maxDelayMillis;
    private final PipelineMetrics metrics;

    public RetryAfterAdvisor(long maxDelayMillis, PipelineMetrics metrics) {
        this.maxDelayMillis = maxDelayMillis;
        this.metrics = metrics;
    }

    /** onExceptionOccurred: the failure just happened. */
    public void advise(Exchange exchange) {
        HttpOperationFailedException answer = exchange.getException(HttpOperationFailedException.class);
        long advised = answer == null ? -1 : retryAfterMillis(header(answer.getResponseHeaders(), "Retry-After"));
        if (advised >= 0) {
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, Math.min(advised, maxDelayMillis));
        } else {
            exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        }
    }

    /** onRedelivery: a retry is about to be sent. */
    public void retrying(Exchange exchange) {
        metrics.deliveryRetry();
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (name.equalsIgnoreCase(h.getKey())) {
                return h.getValue();
            }
        }
        return null;
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
