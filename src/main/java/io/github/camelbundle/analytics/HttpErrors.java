package io.github.camelbundle.analytics;

import io.github.camelbundle.model.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Writes the contract's JSON answers: {@code {"error":"..","detail":".."}} with its status. */
public final class HttpErrors {

    private HttpErrors() {
    }

    public static void error(Exchange exchange, int status, String error, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("detail", detail);
        json(exchange, status, body);
    }

    public static void json(Exchange exchange, int status, Object body) {
        Message out = exchange.getMessage();
        try {
            out.setBody(Json.MAPPER.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a response", e);
        }
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}
