package io.github.camelbundle.delivery;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Route;
import org.apache.camel.SuspendableService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether the merge flow consumes: the delivery circuit breaker (resilience4j, used by the
 * {@code circuitBreaker} EIP) suspends the merge route's Kafka consumer when it opens, so records stay
 * in Kafka with their offsets uncommitted instead of flooding the dead-letter topic, and resumes it
 * when it turns half-open, so the next batch is the probe. A 401/403 from the API, or a status that
 * says delivery.url is not the ingest endpoint (3xx, 405, ...), stops consumption too, until a probe
 * is answered 2xx.
 */
public class DeliveryControl {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryControl.class);

    /** Why delivery is stopped, or RUNNING. */
    public enum Stop { RUNNING, CIRCUIT_OPEN, UNAUTHORIZED }

    private final CamelContext context;
    private final String consumerRouteId;
    private final CircuitBreaker circuitBreaker;
    private final AtomicReference<String> unauthorized = new AtomicReference<>();
    /** What stopped delivery, in a few words for the monitor line; null while it runs. */
    private volatile String stopSummary;

    public DeliveryControl(CamelContext context, String consumerRouteId, int failureThreshold, Duration openFor) {
        this.context = context;
        this.consumerRouteId = consumerRouteId;
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                // opens after `failureThreshold` failed calls in a row
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(failureThreshold)
                .minimumNumberOfCalls(failureThreshold)
                .failureRateThreshold(100)
                .waitDurationInOpenState(openFor)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(1)
                .build();
        this.circuitBreaker = CircuitBreaker.of("analytics-delivery", config);
        circuitBreaker.getEventPublisher().onStateTransition(event -> {
            CircuitBreaker.State to = event.getStateTransition().getToState();
            LOG.warn("Delivery circuit breaker {} -> {}", event.getStateTransition().getFromState(), to);
            if (to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN) {
                suspendConsumer("the analytics API keeps failing; records stay in Kafka until it answers again");
            } else if (unauthorized.get() == null) {
                resumeConsumer();
            }
        });
    }

    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    /** 0 closed, 1 open, 2 half-open (the contract's integration_circuit_state). */
    public int circuitState() {
        return switch (circuitBreaker.getState()) {
            case OPEN, FORCED_OPEN -> 1;
            case HALF_OPEN -> 2;
            default -> 0;
        };
    }

    public Stop stopped() {
        if (unauthorized.get() != null) {
            return Stop.UNAUTHORIZED;
        }
        return circuitState() == 1 ? Stop.CIRCUIT_OPEN : Stop.RUNNING;
    }

    /** The API refused our key: stop consuming and fail this batch (never dead-letter for it). */
    public void unauthorized(int status) throws DeliveryStoppedException {
        stop(status, null);
    }

    /**
     * The API refused our key (401/403) or delivery.url is not the ingest endpoint (3xx, 405, 406, 410,
     * 415): stop consuming and fail this batch, never dead-letter for it.
     */
    public void stop(int status, String location) throws DeliveryStoppedException {
        String why = status == 401 || status == 403
                ? "the analytics API answered HTTP " + status + " to our API key: delivery is stopped and records "
                + "stay in Kafka. Set ANALYTICS_API_KEY (or analytics.api-key) to the key the API expects; delivery "
                + "resumes by itself once the API accepts it."
                : "delivery.url answered HTTP " + status + (location == null ? "" : " (Location: " + location + ")")
                + ": it is not the analytics ingest endpoint (POST /analytics/data); delivery is stopped and records "
                + "stay in Kafka. Set delivery.url to the API's /analytics/data; delivery resumes by itself once it "
                + "answers 2xx.";
        if (unauthorized.compareAndSet(null, why)) {
            stopSummary = (status == 401 || status == 403 ? "API key refused" : "delivery.url wrong") + ", HTTP " + status;
            LOG.error(why);
            suspendConsumer(why);
        }
        throw new DeliveryStoppedException(why);
    }

    /** True while stopped by a 401/403 or a wrong delivery.url (the probe runs then). */
    public boolean keyRefused() {
        return unauthorized.get() != null;
    }

    /** Why delivery is stopped, in a few words ("API key refused, HTTP 401"), or null while it runs. */
    public String stopSummary() {
        return unauthorized.get() == null ? null : stopSummary;
    }

    public String unauthorizedReason() {
        return unauthorized.get();
    }

    /** The auth probe's answer: a 2xx means the key is accepted again. */
    public void authProbed(int status) {
        if (status >= 200 && status < 300 && unauthorized.getAndSet(null) != null) {
            LOG.warn("delivery.url answers 2xx with the API key again ({} before): delivery resumes", stopSummary);
            stopSummary = null;
            if (circuitState() != 1) {
                resumeConsumer();
            }
        }
    }

    private void suspendConsumer(String why) {
        if (consumer() instanceof SuspendableService consumer && !consumer.isSuspended()) {
            LOG.warn("Suspending the {} consumer: {}", consumerRouteId, why);
            consumer.suspend();
        }
    }

    private void resumeConsumer() {
        if (consumer() instanceof SuspendableService consumer && consumer.isSuspended()) {
            LOG.warn("Resuming the {} consumer", consumerRouteId);
            consumer.resume();
        }
    }

    private Consumer consumer() {
        Route route = context.getRoute(consumerRouteId);
        return route == null ? null : route.getConsumer();
    }
}
