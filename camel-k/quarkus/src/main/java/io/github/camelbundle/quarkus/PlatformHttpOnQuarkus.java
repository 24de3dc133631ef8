package io.github.camelbundle.quarkus;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.quarkus.main.events.BeforeConfigure;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The REST DSL on Quarkus's HTTP server: what camel-quarkus-platform-http does (not served at 3.33 by the
 * registry here). platform-http's consumers look up a Vert.x router by name in the Camel registry; this binds
 * Quarkus's main router under those names before any route is built, so the business port is
 * quarkus.http.port and the management interface keeps its own port.
 */
@ApplicationScoped
public class PlatformHttpOnQuarkus {

    private volatile Vertx vertx;
    private volatile Router router;

    /** Quarkus fires its main router once the HTTP server is set up, before Camel Main configures Camel. */
    void routerReady(@Observes Router router, Vertx vertx) {
        this.router = router;
        this.vertx = vertx;
    }

    void bind(@Observes BeforeConfigure event) {
        if (router == null) {
            throw new IllegalStateException("Quarkus's HTTP router is not set up before Camel is configured");
        }
        CamelContext context = event.getCamelContext();
        long limit = ConfigProvider.getConfig().getValue("quarkus.http.limits.max-body-size", MemorySize.class).asLongValue();
        // no file uploads: no endpoint takes one (multipart is refused with 415 by MultipartRefusal)
        Handler<RoutingContext> bodies = BodyHandler.create(false).setBodyLimit(limit);
        int port = ConfigProvider.getConfig().getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
        VertxPlatformHttpRouter main = new VertxPlatformHttpRouter(null, vertx, router,
                VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME, VertxPlatformHttpRouter.SERVER_TYPE_SERVER) {
            @Override
            public Handler<RoutingContext> bodyHandler() {
                return bodies;
            }
        };
        // one instance under every name a consumer may look up (by port, or the defaults): the bundle's
        // start-up listener installs its handlers once per router instance it finds
        for (String name : new String[] {VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME,
                VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME_ZERO,
                VertxPlatformHttpRouter.getRouterNameFromPort(8080), VertxPlatformHttpRouter.getRouterNameFromPort(port)}) {
            context.getRegistry().bind(name, main);
        }
        VertxPlatformHttpEngine engine = new VertxPlatformHttpEngine();
        context.getRegistry().bind(PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME, engine);
        PlatformHttpComponent component = new PlatformHttpComponent();
        component.setEngine(engine);
        context.getRegistry().bind(PlatformHttpConstants.PLATFORM_HTTP_COMPONENT_NAME, component);
    }
}
