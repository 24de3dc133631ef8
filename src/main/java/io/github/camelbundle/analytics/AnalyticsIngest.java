package io.github.camelbundle.analytics;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.github.camelbundle.merge.RecordValidator;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.MergedRecord;
import io.github.camelbundle.monitor.PipelineMetrics;
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

    private static final ObjectReader RECORD_READER = Json.MAPPER.readerFor(MergedRecord.class);
    /** Reads one record of the array in place (the array goes on after it, which is no trailing token). */
    private static final ObjectReader ELEMENT_READER = Json.MAPPER.reader()
            .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
     * The records of the body, read one at a time from a streaming parser so that a batch over the
     * limit is refused as soon as record max-batch + 1 starts; null when the body is not an array or object.
     */
    private List<JsonNode> elements(String body) throws IOException, TooManyRecords {
        if (body.isEmpty()) {
            return null;
        }
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            JsonToken first = parser.nextToken();
            List<JsonNode> elements = new ArrayList<>();
            if (first == JsonToken.START_OBJECT) {
                elements.add(ELEMENT_READER.readTree(parser));
            } else if (first == JsonToken.START_ARRAY) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (elements.size() == maxBatch) {
                        throw new TooManyRecords();
                    }
                    elements.add(ELEMENT_READER.readTree(parser));
                }
            } else {
                return null;
            }
            if (parser.nextToken() != null) {
                throw new com.fasterxml.jackson.core.JsonParseException(parser, "trailing content after the JSON value");
            }
            return elements;
        }
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
        List<JsonNode> elements;
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
        List<Map<String, Object>> rejected = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            JsonNode element = elements.get(i);
            String reason;
            MergedRecord record = null;
            String payload = null;
            if (!element.isObject()) {
                reason = "record: must be a JSON object";
            } else {
                try {
                    record = RECORD_READER.readValue(element);
                    reason = RecordValidator.violation(record);
                    if (reason == null) {
                        payload = Json.MAPPER.writeValueAsString(element);
                        reason = StoreLimits.violation(record, payload);
                    }
                } catch (IOException e) {
                    reason = io.github.camelbundle.merge.IncomingRecordParser.describe(e);
                }
            }
            if (reason == null) {
                valid.add(record);
                payloads.add(payload);
            } else {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("index", i);
                r.put("eventId", element.path("eventId").isTextual() ? element.path("eventId").asText() : null);
                r.put("reason", reason);
                rejected.add(r);
            }
        }
        StoreResult result = store.store(valid, payloads);
        metrics.stored(result.stored(), result.duplicates());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accepted", result.stored());
        answer.put("duplicates", result.duplicates());
        answer.put("rejected", rejected);
        HttpErrors.json(exchange, 200, answer);
    }
}
