package io.github.camelbundle.health;

import io.github.camelbundle.delivery.DeliveryControl;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: DOWN while delivery is stopped by the circuit breaker or by a refused API key. Not a
 * liveness check: both conditions recover without a restart.
 */
public class DeliveryHealthCheck extends AbstractHealthCheck {

    private final DeliveryControl control;

    public DeliveryHealthCheck(DeliveryControl control) {
        super("pipeline", "delivery");
        this.control = control;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        switch (control.stopped()) {
            case UNAUTHORIZED -> builder.down().message(control.unauthorizedReason());
            case CIRCUIT_OPEN -> builder.down().message(
                    "delivery circuit breaker is open: the analytics API failed repeatedly; consumption is suspended "
                            + "and resumes with a probe when the breaker turns half-open");
            default -> builder.up().message("delivering; circuit breaker " + switch (control.circuitState()) {
                case 2 -> "half-open (probing)";
                default -> "closed";
            });
        }
    }
}
