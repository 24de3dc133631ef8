package io.github.camelbundle.analytics;

import io.github.camelbundle.model.Json;
import java.nio.charset.StandardCharsets;
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

    /** The same error body as text, for answers written outside a route (the Vert.x gate). */
    public static String errorJson(String error, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("detail", detail);
        try {
            return Json.MAPPER.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a response", e);
        }
    }

    public static void json(Exchange exchange, int status, Object body) {
        byte[] bytes;
        try {
            // through a String: a stored payload may hold an unpaired surrogate (sent as a "\ud800" escape),
            // which the UTF-8 writer refuses inside a raw value; the String's encoding replaces it instead
            bytes = Json.MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a response", e);
        }
        answer(exchange, status, "application/json", bytes);
    }

    /**
     * The answer and its own headers only: platform-http would send every request header and query
     * parameter back as a response header (the API key among them), and one Vert.x refuses there (a
     * control character, a non-ASCII name) would fail the answer after the route has run.
     */
    public static void answer(Exchange exchange, int status, String contentType, Object body) {
        Message out = exchange.getMessage();
        out.getHeaders().clear();
        out.setBody(body);
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, contentType);
    }
}
