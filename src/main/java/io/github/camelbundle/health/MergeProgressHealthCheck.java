package io.github.camelbundle.health;

import java.time.Duration;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness DOWN while the merge has had a poll it could not commit for longer than
 * {@code merge.stall-timeout}: a poll failing again and again, or a step that hangs. Consumer lag
 * alone does not say it (a busy merge has lag too); this is the time since the merge last advanced
 * while it had records. Recovers by itself, so not a liveness check.
 */
public class MergeProgressHealthCheck extends AbstractHealthCheck {

    private final DoubleSupplier stalledSeconds;
    private final Duration timeout;

    public MergeProgressHealthCheck(DoubleSupplier stalledSeconds, Duration timeout) {
        super("pipeline", "merge-progress");
        this.stalledSeconds = stalledSeconds;
        this.timeout = timeout;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        double stalled = stalledSeconds.getAsDouble();
        if (stalled * 1000 > timeout.toMillis()) {
            builder.down().message("the merge has not committed a poll for " + Math.round(stalled) + " s (merge.stall-timeout "
                    + timeout + "): see the WARN of merge.PollFailures and integration_merge_poll_failures_total");
        } else {
            builder.up().message("the merge advances");
        }
    }
}
