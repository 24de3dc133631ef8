package io.github.camelbundle.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.model.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;

/** What an analytics API in another process has stored, read over its HTTP API with a key, as a client would. */
final class StoredRecords {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private final String key;

    /** @param base the API's base URL, e.g. http://127.0.0.1:8080 */
    StoredRecords(String base, String key) {
        this.base = base;
        this.key = key;
    }

    /** The summary's stored count; -1 while the API does not answer. */
    long count() {
        try {
            return Json.MAPPER.readTree(get("/analytics/summary")).get("records").asLong();
        } catch (Exception notYet) {
            return -1;
        }
    }

    /** Every stored event id, page by page. */
    Set<String> eventIds() throws Exception {
        Set<String> ids = new HashSet<>();
        String after = "";
        while (after != null) {
            JsonNode page = Json.MAPPER.readTree(get("/analytics/records?limit=1000&after=" + after));
            page.get("records").forEach(r -> ids.add(r.get("eventId").asText()));
            after = page.get("next").isNull() ? null : page.get("next").asText();
        }
        return ids;
    }

    String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("X-API-Key", key).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
