package io.github.camelbundle.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck.Result;
import org.apache.camel.health.HealthCheck.State;
import org.apache.camel.health.HealthCheckHelper;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Camel's health checks (the context, routes, consumers and the bundle's own: broker, delivery, database,
 * merge consumer) as SmallRye Health checks, so /observe/health[/live|/ready] answer as on the Camel Main
 * jar (503 when one is DOWN): what camel-quarkus-microprofile-health would do (not served at 3.33 here).
 */
final class CamelHealthOnQuarkus {

    /** every check's result, not only the context's (Camel's "default" exposure) */
    private static final String FULL = "full";

    private CamelHealthOnQuarkus() {
    }

    /** One response per kind: UP as Camel decides it (UNKNOWN counts as up), with every check's state. */
    static HealthCheckResponse response(String name, Collection<Result> results, boolean readiness) {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named(name)
                .status(HealthCheckHelper.isResultsUp(results, readiness));
        for (Result result : results) {
            builder.withData(result.getCheck().getId(), result.getState().name());
            if (result.getState() == State.DOWN) {
                result.getMessage().ifPresent(message -> builder.withData(result.getCheck().getId() + ".message", message));
            }
        }
        return builder.build();
    }

    @Liveness
    @ApplicationScoped
    public static class Live implements HealthCheck {
        @Inject
        CamelContext camel;

        @Override
        public HealthCheckResponse call() {
            return response("camel-liveness", HealthCheckHelper.invokeLiveness(camel, FULL), false);
        }
    }

    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        @Inject
        CamelContext camel;

        @Override
        public HealthCheckResponse call() {
            return response("camel-readiness", HealthCheckHelper.invokeReadiness(camel, FULL), true);
        }
    }
}
