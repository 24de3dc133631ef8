package io.github.camelbundle.analytics;

import io.github.camelbundle.analytics.ApiKeyGuard.Scope;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.SecurityDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vert.x handlers ahead of every REST route of the business port, built from the REST DSL: a verb
 * whose {@code security} names a scope is refused with 401 before its body is read (platform-http
 * installs its body handler on the route itself, so a route step comes too late), and the read and
 * admin verbs run under their own concurrency limits, so they cannot take every Vert.x worker from
 * ingest. Hand-written: neither Camel nor Vert.x Web has an API-key check that runs before the body
 * handler and answers the contract's JSON.
 */
public final class HttpGate {

    private static final Logger LOG = LoggerFactory.getLogger(HttpGate.class);
    private static final String BUSY = "{\"error\":\"busy\",\"detail\":\"too many %s requests at once; try again shortly\"}";

    private HttpGate() {
    }

    /** Installs one gate per REST verb on the business port's router. */
    public static void install(CamelContext context, VertxPlatformHttpRouter router, ApiKeyGuard guard) {
        var properties = context.getPropertiesComponent();
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger admin = new AtomicInteger();
        int maxReads = Integer.parseInt(properties.resolveProperty("http.max-concurrent-reads").orElse("4").trim());
        int maxAdmin = Integer.parseInt(properties.resolveProperty("http.max-concurrent-admin").orElse("2").trim());
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        for (RestDefinition rest : model.getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                String path = vertxPath(rest.getPath(), verb.getPath());
                HttpMethod method = HttpMethod.valueOf(verb.asVerb().toUpperCase(java.util.Locale.ROOT));
                Scope scope = scope(verb.getSecurity());
                boolean isAdmin = path.startsWith("/admin");
                boolean isIngest = !isAdmin && method == HttpMethod.POST;
                AtomicInteger inFlight = isAdmin ? admin : isIngest ? null : reads;
                int limit = isAdmin ? maxAdmin : maxReads;
                String kind = isAdmin ? "admin" : "read";
                // ahead of the REST routes (order 0 and up), behind the multipart refusal
                router.route(method, path).order(Integer.MIN_VALUE + 1)
                        .handler(ctx -> gate(ctx, context, guard, scope, inFlight, limit, kind));
                LOG.debug("HTTP gate: {} {} needs {}, {}", method, path, scope == null ? "no key" : scope,
                        inFlight == null ? "no concurrency limit" : kind + " limit " + limit);
            }
        }
    }

    private static void gate(RoutingContext ctx, CamelContext context, ApiKeyGuard guard, Scope scope,
                             AtomicInteger inFlight, int limit, String kind) {
        HttpServerRequest request = ctx.request();
        if (scope != null) {
            String problem = guard.refusal(context, scope, request.getHeader("X-API-Key"), request.getHeader("Authorization"));
            if (problem != null) {
                // the body stays unread: the connection is closed after the answer
                refuse(ctx, 401, HttpErrors.errorJson("unauthorized", problem));
                return;
            }
        }
        if (inFlight != null) {
            if (inFlight.incrementAndGet() > limit) {
                inFlight.decrementAndGet();
                ctx.response().putHeader("Retry-After", "1");
                refuse(ctx, 503, String.format(BUSY, kind));
                return;
            }
            // called once the answer is written or the connection is gone
            ctx.addEndHandler(done -> inFlight.decrementAndGet());
        }
        ctx.next();
    }

    private static void refuse(RoutingContext ctx, int status, String json) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close").end(json);
    }

    private static Scope scope(List<SecurityDefinition> security) {
        if (security == null || security.isEmpty()) {
            return null;
        }
        Scope scope = null;
        for (SecurityDefinition requirement : security) {
            // every requirement of a verb names the same scope (the header and the bearer form of one key)
            Scope s = Scope.of(requirement.getScopes());
            if (scope != null && s != scope) {
                throw new IllegalArgumentException("a REST verb names two scopes: " + scope + " and " + s);
            }
            scope = s;
        }
        return scope;
    }

    /** The REST DSL's /a/{b} as Vert.x Web's /a/:b, as platform-http registers it. */
    static String vertxPath(String restPath, String verbPath) {
        String base = restPath == null ? "" : restPath;
        String path = verbPath == null ? "" : verbPath;
        String joined = (base + "/" + path).replaceAll("/+", "/");
        if (joined.length() > 1 && joined.endsWith("/")) {
            joined = joined.substring(0, joined.length() - 1);
        }
        return joined.replaceAll("\\{([^/}]+)}", ":$1");
    }
}
