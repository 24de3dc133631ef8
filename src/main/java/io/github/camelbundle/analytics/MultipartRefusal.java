package io.github.camelbundle.analytics;

import io.vertx.core.http.HttpHeaders;
import java.util.Locale;
import io.github.camelbundle.health.HealthExposure;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Installs the bundle's Vert.x handlers once the HTTP servers run. On the business port: a multipart
 * body is answered 415 before the HTTP server parses it (no endpoint takes one, and the Vert.x body
 * handler never completes a request whose file part does not end; the body is left unread, so the
 * connection is closed after the answer), then {@link HttpGate} (API keys before the body, limits).
 * On the management port: {@link HealthExposure}'s filter of the health requests.
 */
public final class MultipartRefusal implements ExtendedStartupListener {

    private static final String ANSWER =
            "{\"error\":\"unsupported media type\",\"detail\":\"send Content-Type: application/json\"}";

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the router is bound once the HTTP server has started: see onCamelContextFullyStarted
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        // one router per port (platform-http-router-<port>); the management port takes no bodies
        ApiKeyGuard guard = context.getRegistry().findSingleByType(ApiKeyGuard.class);
        HealthExposure health = context.getRegistry().findSingleByType(HealthExposure.class);
        for (VertxPlatformHttpRouter router : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            if (router.isMainServer()) {
                refuseMultipart(router);
                if (guard == null) {
                    throw new IllegalStateException("no apiKeyGuard bean: the API cannot be served without its key check");
                }
                HttpGate.install(context, router, guard);
            } else if (health != null) {
                health.install(router);
            }
        }
    }

    private static void refuseMultipart(VertxPlatformHttpRouter router) {
        // ordered before every route of the server, and so before their body handlers
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
            if (type != null && type.trim().toLowerCase(Locale.ROOT).startsWith("multipart/")) {
                ctx.response().setStatusCode(415).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close").end(ANSWER);
            } else {
                ctx.next();
            }
        });
    }
}
