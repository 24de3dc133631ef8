package io.github.camelbundle.analytics;

import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * platform-http's header filter, with an allow-list for answers: the message headers start as the
 * request's headers and query parameters, and platform-http sends what is left of them back as response
 * headers, so a route that forgets to clear them (or one Camel makes, such as the OpenAPI document's)
 * would echo the API key. Only the headers the bundle's routes set leave the server; requests are read
 * as before.
 */
public class ResponseHeaders extends HttpHeaderFilterStrategy {

    static final Set<String> ALLOWED = Set.of("content-type", "content-length", "content-security-policy",
            "x-content-type-options", "retry-after", "cache-control", "location");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !ALLOWED.contains(headerName.toLowerCase(Locale.ROOT))
                || super.applyFilterToCamelHeaders(headerName, headerValue, exchange);
    }
}
