package io.github.camelbundle.delivery;

import io.github.camelbundle.monitor.PipelineMetrics;
import org.apache.camel.Exchange;

/**
 * Called by the error handler the moment a delivery attempt fails, before it computes the next
 * delay: when the API sent Retry-After, that (capped at the longest backoff) becomes the delay;
 * otherwise the exponential backoff with jitter applies. Also counts the retries.
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
        // bean calls wrap checked exceptions: look for ours in the cause chain
        TransientDeliveryException t = exchange.getException(TransientDeliveryException.class);
        if (t != null && t.retryAfterMillis() >= 0) {
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, Math.min(t.retryAfterMillis(), maxDelayMillis));
        } else {
            exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        }
    }

    /** onRedelivery: a retry is about to be sent. */
    public void retrying(Exchange exchange) {
        metrics.deliveryRetry();
    }
}
