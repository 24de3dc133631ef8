package io.github.camelbundle.analytics;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.github.camelbundle.model.JsonProblems;
import io.github.camelbundle.model.RecordValidator;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.MergedRecord;
import io.github.camelbundle.monitor.PipelineMetrics;
import io.github.camelbundle.monitor.TraceEvents;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * {@code POST /analytics/data}: validates each merged record of the body, stores the valid ones in
 * one transaction (idempotent on eventId) and answers with what was accepted, what was already
 * there, and what was rejected and why. A client's mistake gets a 4xx and stores nothing.
 */
public class AnalyticsIngest {

    /**
     * Reads one record in place: the array goes on after it, which is no trailing token. Records are
     * bound straight from the parser (no tree, no second serialisation: docs/benchmarks.md, "Measured reasons").
     */
    private static final ObjectReader RECORD_READER = Json.MAPPER.readerFor(MergedRecord.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final AnalyticsStore store;
    private final PipelineMetrics metrics;
    private final long maxBodyBytes;
    private final int maxBatch;

    public AnalyticsIngest(AnalyticsStore store, PipelineMetrics metrics, long maxBodyBytes, int maxBatch) {
        this.store = store;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.maxBatch = maxBatch;
    }

    /** Signals a batch over analytics.max-batch, found while reading it, before the rest is parsed. */
    private static final class TooManyRecords extends Exception {
        TooManyRecords() {
            super(null, null, false, false);
        }
    }

    /**
     * One element of the body: the record and its text exactly as delivered (what is stored), or why
     * it is refused and the event id it names, if any.
     */
    private record Element(MergedRecord record, String payload, String reason, String eventId) {
    }

    /**
     * The records of the body, read one at a time from a streaming parser so that a batch over the
     * limit is refused as soon as record max-batch + 1 starts; null when the body is not an array or
     * object. Invalid JSON anywhere fails the whole body (a JsonParseException); a record of the wrong
     * shape is refused alone and reading goes on after it.
     */
    private List<Element> elements(String body) throws IOException, TooManyRecords {
        if (body.isEmpty()) {
            return null;
        }
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            JsonToken first = parser.nextToken();
            List<Element> elements = new ArrayList<>();
            if (first == JsonToken.START_OBJECT) {
                elements.add(element(parser, body));
            } else if (first == JsonToken.START_ARRAY) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (elements.size() == maxBatch) {
                        throw new TooManyRecords();
                    }
                    elements.add(element(parser, body));
                }
            } else {
                return null;
            }
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "trailing content after the JSON value");
            }
            return elements;
        }
    }

    /**
     * Reads the element the parser is at, leaving the parser on its last token. A record that does not
     * bind from the stream is read again as a tree from its text, as the API read every record before:
     * the same reasons, and a record that streaming binding refuses only for its form (a key repeated
     * after the record is complete: jackson-databind#4690) is still accepted.
     */
    private static Element element(JsonParser parser, String body) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return new Element(null, null, "record: must be a JSON object", null);
        }
        JsonStreamContext enclosing = parser.getParsingContext().getParent();
        int from = (int) parser.currentTokenLocation().getCharOffset();
        try {
            MergedRecord record = RECORD_READER.readValue(parser);
            String payload = body.substring(from, (int) parser.currentLocation().getCharOffset());
            String reason = RecordValidator.violation(record);
            return new Element(record, payload, reason != null ? reason : StoreLimits.violation(record, payload),
                    record.eventId());
        } catch (JsonMappingException e) {
            rethrowSyntaxError(e);
            // binding stopped inside the record: read on to its closing brace (a syntax error on the way fails the body)
            while (!(parser.currentToken() == JsonToken.END_OBJECT && parser.getParsingContext() == enclosing)) {
                if (parser.nextToken() == null) {
                    throw new JsonParseException(parser, "the body ends inside a record");
                }
            }
            return fromTree(body.substring(from, (int) parser.currentLocation().getCharOffset()));
        }
    }

    /**
     * Databind wraps what the parser throws inside a property's value: invalid JSON (or JSON over the
     * parser's limits) there fails the whole body, as anywhere else, and is not one record's mistake.
     */
    private static void rethrowSyntaxError(JsonMappingException e) throws JsonProcessingException {
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof JsonParseException || t instanceof StreamConstraintsException) {
                throw (JsonProcessingException) t;
            }
        }
    }

    /** A record that did not bind from the stream, read as a tree: it is refused with the reason, or stored. */
    private static Element fromTree(String text) throws IOException {
        JsonNode tree = Json.MAPPER.readTree(text);
        String eventId = tree.path("eventId").isTextual() ? tree.path("eventId").asText() : null;
        MergedRecord record;
        try {
            record = RECORD_READER.readValue(tree);
        } catch (IOException e) {
            return new Element(null, null, JsonProblems.describe(e), eventId);
        }
        String reason = RecordValidator.violation(record);
        String payload = Json.MAPPER.writeValueAsString(tree);
        return new Element(record, payload, reason != null ? reason : StoreLimits.violation(record, payload), eventId);
    }

    /**
     * The body as text, null when it is not UTF-8. Decoded here, strictly, because the parser reading
     * bytes lets overlong forms, encoded surrogates and code points past U+10FFFF through (the overlong
     * form of "/" would be stored as a plain "/"), and guesses UTF-16 or UTF-32 from the first bytes. A
     * leading byte order mark is skipped, as RFC 8259 allows.
     */
    private static String utf8(byte[] body) {
        if (body == null) {
            return "";
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static Map<String, Object> rejection(int index, String eventId, String reason) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("index", index);
        r.put("eventId", eventId);
        r.put("reason", reason);
        return r;
    }

    public void ingest(Exchange exchange) throws SQLException, IOException {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            HttpErrors.error(exchange, 415, "unsupported media type", "send Content-Type: application/json");
            return;
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body != null && body.length > maxBodyBytes) {
            HttpErrors.error(exchange, 413, "payload too large", "the body is over " + maxBodyBytes + " bytes");
            return;
        }
        String text = utf8(body);
        if (text == null) {
            HttpErrors.error(exchange, 400, "malformed JSON", "the body is not UTF-8");
            return;
        }
        List<Element> elements;
        try {
            elements = elements(text);
        } catch (TooManyRecords e) {
            HttpErrors.error(exchange, 413, "batch too large", "more than " + maxBatch + " records, the limit is " + maxBatch);
            return;
        } catch (JsonProcessingException e) {
            HttpErrors.error(exchange, 400, "malformed JSON", e.getOriginalMessage());
            return;
        } catch (NumberFormatException e) {
            // the parser throws it as it is for an exponent past what BigDecimal holds (1e2147483648)
            HttpErrors.error(exchange, 400, "malformed JSON", "a number is out of range");
            return;
        }
        if (elements == null) {
            HttpErrors.error(exchange, 400, "wrong shape", "send a JSON array of merged records, or one record");
            return;
        }
        List<MergedRecord> valid = new ArrayList<>(elements.size());
        List<String> payloads = new ArrayList<>(elements.size());
        List<Integer> validIndex = new ArrayList<>(elements.size());
        List<Map<String, Object>> rejected = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            Element element = elements.get(i);
            if (element.reason() == null) {
                valid.add(element.record());
                payloads.add(element.payload());
                validIndex.add(i);
            } else {
                rejected.add(rejection(i, element.eventId(), element.reason()));
            }
        }
        TraceEvents.tag(valid, MergedRecord::eventId);
        StoreResult result = store.store(valid, payloads);
        metrics.stored(result.stored(), result.duplicates());
        // an event id reused for another customer event: refused (so the pipeline dead-letters it), counted apart
        result.conflicts().forEach((i, reason) -> rejected.add(rejection(validIndex.get(i), valid.get(i).eventId(), reason)));
        metrics.conflicts(result.conflicts().size());
        rejected.sort(java.util.Comparator.comparingInt(r -> (Integer) r.get("index")));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accepted", result.stored());
        answer.put("duplicates", result.duplicates());
        answer.put("rejected", rejected);
        HttpErrors.json(exchange, 200, answer);
    }
}
