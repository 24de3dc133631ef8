package io.github.camelbundle.analytics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * The API keys and what each may do, compared in constant time. The key comes in {@code X-API-Key}
 * or {@code Authorization: Bearer}. The write key ({@code analytics.api-key}) may do everything; the
 * read key ({@code analytics.read-api-key}, optional) may read stored records (and the aggregates
 * when they need a key). Used by the routes' {@code api-key-*} route configurations and, before any
 * body is read, by {@link HttpGate}.
 */
public class ApiKeyGuard {

    /** What a request needs; the REST DSL names it as the scope of the verb's security requirement. */
    public enum Scope {
        /** POST /analytics/data and /admin: the write key only. */
        WRITE,
        /** Stored records: the read key or the write key. */
        READ,
        /** The summary and the dashboard's figures: open unless analytics.aggregates-require-key=true. */
        AGGREGATES;

        public static Scope of(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }

    private final byte[] writeKey;
    private volatile Settings settings;

    /** The read key and the aggregates setting are read from the context on first use. */
    private record Settings(byte[] readKey, boolean aggregatesRequireKey) {
    }

    public ApiKeyGuard(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("the API key is empty");
        }
        this.writeKey = apiKey.getBytes(StandardCharsets.UTF_8);
    }

    /** Route step: only the write key passes. */
    public void write(Exchange exchange) {
        check(exchange, Scope.WRITE);
    }

    /** Route step: the read or the write key passes. */
    public void read(Exchange exchange) {
        check(exchange, Scope.READ);
    }

    /** Route step: anyone, unless analytics.aggregates-require-key=true (then as {@link #read}). */
    public void aggregates(Exchange exchange) {
        check(exchange, Scope.AGGREGATES);
    }

    private void check(Exchange exchange, Scope scope) {
        String problem = refusal(exchange.getContext(), scope, header(exchange, "X-API-Key"), header(exchange, "Authorization"));
        if (problem != null) {
            HttpErrors.error(exchange, 401, "unauthorized", problem);
            exchange.setRouteStop(true);
        }
    }

    /** Why a request with these two headers may not do this; null when it may. */
    public String refusal(CamelContext context, Scope scope, String apiKeyHeader, String authorization) {
        Settings s = settings(context);
        if (scope == Scope.AGGREGATES && !s.aggregatesRequireKey()) {
            return null;
        }
        String presented = apiKeyHeader;
        if (presented == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        if (presented == null) {
            return "an API key is required (X-API-Key or Authorization: Bearer)";
        }
        byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
        boolean write = MessageDigest.isEqual(writeKey, bytes);
        // both compared every time, so the answer's timing does not tell which key was close
        boolean read = s.readKey() != null && MessageDigest.isEqual(s.readKey(), bytes);
        if (write || read && scope != Scope.WRITE) {
            return null;
        }
        return read ? "the read-only API key may not do this" : "the API key is wrong";
    }

    private Settings settings(CamelContext context) {
        Settings s = settings;
        if (s == null) {
            var properties = context.getPropertiesComponent();
            String read = properties.resolveProperty("analytics.read-api-key").orElse("").trim();
            boolean aggregates = Boolean.parseBoolean(
                    properties.resolveProperty("analytics.aggregates-require-key").orElse("false").trim());
            s = new Settings(read.isEmpty() ? null : read.getBytes(StandardCharsets.UTF_8), aggregates);
            settings = s;
        }
        return s;
    }

    /**
     * A header of the HTTP request itself: platform-http also copies query parameters and form fields
     * into the message headers, so "?X-API-Key=..." would pass for the header (and leave the key in
     * access logs). Off HTTP (a direct call), the message header.
     */
    private static String header(Exchange exchange, String name) {
        if (exchange.getIn() instanceof HttpMessage http) {
            return http.getRequest().getHeader(name);
        }
        return exchange.getMessage().getHeader(name, String.class);
    }
}
