package io.github.camelbundle.quarkus;

import io.github.camelbundle.RoleSelection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.camel.quarkus.main.events.BeforeConfigure;
import org.eclipse.microprofile.config.ConfigProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bundle.roles} on Camel Quarkus: the same route selection the Camel Main jar makes
 * ({@link RoleSelection}, a Camel Main listener that the jar's main class adds), run at the same step
 * through the CDI event Camel Quarkus fires for it. A route pattern given in any configuration source
 * (Camel K's own application.properties, an environment variable) is left alone.
 */
@ApplicationScoped
public class RoleRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(RoleRoutes.class);

    void selectRoutes(@Observes BeforeConfigure event) {
        var config = ConfigProvider.getConfig();
        var given = config.getOptionalValue("camel.main.routesIncludePattern", String.class)
                .or(() -> config.getOptionalValue("camel.main.routes-include-pattern", String.class));
        if (given.isPresent()) {
            LOG.info("Routes from camel.main.routesIncludePattern={} (bundle.roles picks no files)", given.get());
            return;
        }
        new RoleSelection().beforeConfigure(event.getMain());
    }
}
