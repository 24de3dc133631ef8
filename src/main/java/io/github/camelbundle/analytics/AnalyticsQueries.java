package io.github.camelbundle.analytics;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;

/** The read side of the API: the summary, one record, and keyset pages of records. */
public class AnalyticsQueries {

    private final AnalyticsStore store;
    private final AnalyticsSummary summary;
    private final int maxPageSize;

    public AnalyticsQueries(AnalyticsStore store, AnalyticsSummary summary, int maxPageSize) {
        this.store = store;
        this.summary = summary;
        this.maxPageSize = maxPageSize;
    }

    public void summary(Exchange exchange) throws SQLException {
        HttpErrors.json(exchange, 200, summary.summary());
    }

    public void record(Exchange exchange) throws SQLException {
        String eventId = exchange.getMessage().getHeader("eventId", String.class);
        Optional<String> payload = store.find(eventId);
        if (payload.isEmpty()) {
            HttpErrors.error(exchange, 404, "not found", "no stored record has eventId " + eventId);
            return;
        }
        HttpErrors.answer(exchange, 200, "application/json", payload.get());
    }

    public void records(Exchange exchange) throws SQLException {
        String limitText = exchange.getMessage().getHeader("limit", String.class);
        String afterText = exchange.getMessage().getHeader("after", String.class);
        int limit;
        try {
            limit = limitText == null || limitText.isEmpty() ? 100 : Integer.parseInt(limitText);
        } catch (NumberFormatException e) {
            HttpErrors.error(exchange, 400, "bad query", "limit must be a whole number");
            return;
        }
        // the cursor is the last eventId of the previous page ("next" in its answer)
        String after = afterText == null ? "" : afterText;
        if (limit < 1) {
            HttpErrors.error(exchange, 400, "bad query", "limit must be >= 1");
            return;
        }
        AnalyticsStore.RecordPage page = store.page(blankToNull(exchange, "customerId"), blankToNull(exchange, "productId"),
                after, Math.min(limit, maxPageSize));
        // payloads are stored JSON: splice them in as raw values instead of parsing them again
        List<com.fasterxml.jackson.databind.util.RawValue> raw = new ArrayList<>(page.payloads().size());
        page.payloads().forEach(p -> raw.add(new com.fasterxml.jackson.databind.util.RawValue(p)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("records", raw);
        body.put("next", page.next());
        HttpErrors.json(exchange, 200, body);
    }

    private static String blankToNull(Exchange exchange, String header) {
        String value = exchange.getMessage().getHeader(header, String.class);
        return value == null || value.isEmpty() ? null : value;
    }
}
