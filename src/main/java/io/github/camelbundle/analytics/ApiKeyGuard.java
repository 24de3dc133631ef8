package io.github.camelbundle.analytics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.camel.Exchange;

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
        String presented = exchange.getMessage().getHeader("X-API-Key", String.class);
        if (presented == null) {
            String authorization = exchange.getMessage().getHeader("Authorization", String.class);
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
}
