package io.github.camelbundle.analytics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * Lets a request through only with the API key, in {@code X-API-Key} or {@code Authorization: Bearer};
 * compared in constant time. A refused request gets the 401 JSON answer and its route stops there.
 */
public class ApiKeyGuard {

    private final byte[] expected;

    public ApiKeyGuard(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("the API key is empty");
        }
        this.expected = apiKey.getBytes(StandardCharsets.UTF_8);
    }

    public void check(Exchange exchange) {
        String presented = header(exchange, "X-API-Key");
        if (presented == null) {
            String authorization = header(exchange, "Authorization");
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                presented = authorization.substring(7).trim();
            }
        }
        if (presented == null || !MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
            HttpErrors.error(exchange, 401, "unauthorized",
                    presented == null ? "an API key is required (X-API-Key or Authorization: Bearer)" : "the API key is wrong");
            exchange.setRouteStop(true);
        }
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
