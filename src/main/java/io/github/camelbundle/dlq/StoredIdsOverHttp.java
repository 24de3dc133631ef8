package io.github.camelbundle.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.github.camelbundle.model.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/** The stored event ids of an analytics API in another process, read page by page (GET /analytics/records). */
public class StoredIdsOverHttp implements Reconciliation.StoredIds {

    private static final ObjectReader PAGE_READER = Json.MAPPER.reader()
            .without(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    // HTTP/1.1: the JDK client's default asks Camel's (Vert.x) server for an h2c upgrade, and a response
    // over the upgraded connection was seen to never complete (the request timeout only covers the headers)
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String recordsUrl;
    private final String apiKey;

    /** @param dataUrl the API's POST /analytics/data URL (delivery.url); the records are beside it */
    public StoredIdsOverHttp(String dataUrl, String apiKey) {
        this.recordsUrl = dataUrl.replaceFirst("/analytics/data$", "/analytics/records");
        this.apiKey = apiKey;
    }

    @Override
    public long visit(Consumer<String> sink) throws Exception {
        long rows = 0;
        String after = "";
        while (after != null) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(recordsUrl + "?limit=1000&after="
                    + URLEncoder.encode(after, StandardCharsets.UTF_8))).header("X-API-Key", apiKey)
                    .timeout(Duration.ofSeconds(60)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + request.uri() + " answered " + response.statusCode());
            }
            // only ids are read: numbers as doubles, so a stored record's number past BigDecimal's range
            // (the API stores records as sent) cannot fail the page
            JsonNode page = PAGE_READER.readTree(response.body());
            for (JsonNode record : page.get("records")) {
                sink.accept(record.get("eventId").asText());
                rows++;
            }
            after = page.get("next").isNull() ? null : page.get("next").asText();
        }
        return rows;
    }
}
