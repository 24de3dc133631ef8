package io.github.camelbundle.health;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.health.HealthCheckResultStrategy;

/**
 * What the management port's health answers may show to anyone who reaches the port. Unless
 * {@code observe.health.expose-details=true}: no check's error (its text and stack trace name hosts,
 * URLs and brokers), and the {@code data} and {@code stackTrace} query parameters are ignored (Camel's
 * own checks put the broker list and client ids in their data). Check names, states and the bundle's
 * own messages, which name no host, stay visible with {@code ?exposureLevel=full}.
 *
 * <p>Camel calls {@link #processResult} for every check (it finds this strategy in the registry);
 * the query parameters are read by camel-platform-http-main's health handler, so they are dropped
 * by a Vert.x handler ahead of it ({@link #install}).
 */
public class HealthExposure implements HealthCheckResultStrategy {

    private boolean exposeDetails;

    public boolean isExposeDetails() {
        return exposeDetails;
    }

    public void setExposeDetails(boolean exposeDetails) {
        this.exposeDetails = exposeDetails;
    }

    @Override
    public void processResult(HealthCheck check, Map<String, Object> options, HealthCheckResultBuilder builder) {
        if (!exposeDetails) {
            builder.error(null);
        }
    }

    /** Drops the detail parameters of every health request on the management port's router. */
    public void install(Router managementRouter) {
        if (exposeDetails) {
            return;
        }
        managementRouter.route().order(Integer.MIN_VALUE).handler(ctx -> {
            if (ctx.request().path().contains("/health")) {
                MultiMap params = ctx.request().params();
                params.remove("data");
                params.remove("stackTrace");
            }
            ctx.next();
        });
    }
}
