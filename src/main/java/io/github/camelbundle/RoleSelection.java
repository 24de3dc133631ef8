package io.github.camelbundle;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes Camel Main load only the route files of this process's roles, with its own route selection
 * ({@code camel.main.routesIncludePattern}), before the routes are collected. A pattern given
 * explicitly (-Dcamel.main.routesIncludePattern=... or CAMEL_MAIN_ROUTESINCLUDEPATTERN) is left alone.
 */
public class RoleSelection extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RoleSelection.class);
    static final String INCLUDE_PATTERN = "camel.main.routesIncludePattern";

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        if (System.getProperty(INCLUDE_PATTERN) != null || System.getenv("CAMEL_MAIN_ROUTESINCLUDEPATTERN") != null) {
            return;
        }
        PropertiesComponent pc = main.getCamelContext().getPropertiesComponent();
        BundleRoles roles = BundleRoles.of(pc.resolveProperty("bundle.roles").orElse(""));
        String pattern = roles.includePattern(pc.resolveProperty("bundle.routes-location").orElse("classpath:routes"));
        pc.addOverrideProperty(INCLUDE_PATTERN, pattern);
        LOG.info("Roles {}: routes {}", roles.active(), roles.routeFiles());
    }
}
