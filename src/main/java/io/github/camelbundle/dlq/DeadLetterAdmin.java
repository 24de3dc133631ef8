package io.github.camelbundle.dlq;

import io.github.camelbundle.analytics.HttpErrors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;

/** The HTTP side of {@code /admin/dlq}: reads and checks the query, answers JSON. */
public class DeadLetterAdmin {

    private static final Set<String> REASONS = DeadLetterReplayer.REASONS;
    private static final int MAX_LIMIT = 100_000;

    private final DeadLetterReport report;
    private final DeadLetterReplayer replayer;

    public DeadLetterAdmin(DeadLetterReport report, DeadLetterReplayer replayer) {
        this.report = report;
        this.replayer = replayer;
    }

    public void report(Exchange exchange) {
        HttpErrors.json(exchange, 200, report.report());
    }

    public void replay(Exchange exchange) throws Exception {
        String reason = exchange.getMessage().getHeader("reason", String.class);
        String limitText = exchange.getMessage().getHeader("limit", String.class);
        if (reason != null && reason.isEmpty()) {
            reason = null;
        }
        if (reason != null && !REASONS.contains(reason)) {
            HttpErrors.error(exchange, 400, "bad query", "reason must be one of " + REASONS);
            return;
        }
        int limit;
        try {
            limit = limitText == null || limitText.isEmpty() ? 1000 : Integer.parseInt(limitText);
        } catch (NumberFormatException e) {
            HttpErrors.error(exchange, 400, "bad query", "limit must be a whole number");
            return;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            HttpErrors.error(exchange, 400, "bad query", "limit must be 1-" + MAX_LIMIT);
            return;
        }
        Map<String, Object> answer = replayer.replay(reason, limit);
        if ((Integer) answer.get("failed") > 0) {
            // not all sent: the caller must call again (progress stops before the first failed send)
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("error", "replay incomplete");
            error.put("detail", answer.get("failed") + " dead letters could not be re-published (" + answer.get("failure")
                    + "); they stay to be replayed by the next call");
            error.putAll(answer);
            HttpErrors.json(exchange, 503, error);
            return;
        }
        HttpErrors.json(exchange, 200, answer);
    }
}
