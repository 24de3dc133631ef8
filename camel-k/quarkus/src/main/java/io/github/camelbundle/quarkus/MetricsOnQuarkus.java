package io.github.camelbundle.quarkus;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.quarkus.main.events.BeforeConfigure;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Camel's metrics on Quarkus's Micrometer registry, which /observe/metrics (the management interface)
 * exports: what camel-main's camel.metrics.* does on the Camel Main jar and camel-quarkus-micrometer would
 * do here (not served at 3.33 by the registry). The registry is bound before the bundle's configuration
 * class runs, which registers its own meters on it and sets the route timers' exclude pattern
 * (metrics.untimed-routes) on the factory added here.
 */
@ApplicationScoped
public class MetricsOnQuarkus {

    @Inject
    MeterRegistry registry;

    void bind(@Observes BeforeConfigure event) {
        CamelContext context = event.getCamelContext();
        context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
        // camel.metrics.routePolicyLevel: all (context and routes), context, or route (the bundle's setting)
        String level = ConfigProvider.getConfig().getOptionalValue("camel.metrics.routePolicyLevel", String.class)
                .orElse("all").trim();
        MicrometerRoutePolicyFactory routeTimers = new MicrometerRoutePolicyFactory();
        routeTimers.setCamelContext(context);
        routeTimers.getPolicyConfiguration().setContextEnabled(!level.equals("route"));
        routeTimers.getPolicyConfiguration().setRouteEnabled(!level.equals("context"));
        context.addRoutePolicyFactory(routeTimers);
    }
}
