package io.github.camelbundle.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.model.Json;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The analytics API's 2xx answer to a batch of {@code sent} records, read strictly: it must account
 * for every record ({@code accepted + duplicates + rejected == sent}, each rejected index within the
 * batch and named once). Anything else (an empty body, HTML from a proxy, a count that does not add
 * up) is not an acknowledgement: offsets are committed only for records the API answered for.
 */
public record DeliveryAnswer(int accepted, int duplicates, Map<Integer, String> rejected) {

    /** The answer, or why it does not account for the batch (thrown as a failed, retried delivery). */
    public static DeliveryAnswer read(byte[] body, int sent) throws UnaccountedAnswerException {
        JsonNode answer;
        try {
            answer = body == null || body.length == 0 ? null : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.isObject()) {
            throw new UnaccountedAnswerException(sent, "the body is not a JSON object");
        }
        JsonNode accepted = answer.get("accepted");
        JsonNode duplicates = answer.get("duplicates");
        JsonNode rejected = answer.get("rejected");
        if (!isCount(accepted) || !isCount(duplicates) || rejected == null || !rejected.isArray()) {
            throw new UnaccountedAnswerException(sent, "accepted, duplicates (whole numbers >= 0) and rejected (an array) are required");
        }
        Map<Integer, String> reasons = new HashMap<>();
        for (JsonNode r : rejected) {
            JsonNode index = r.get("index");
            if (index == null || !index.canConvertToInt() || !index.isIntegralNumber()
                    || index.intValue() < 0 || index.intValue() >= sent) {
                throw new UnaccountedAnswerException(sent, "a rejected index is not within the batch: " + r);
            }
            if (reasons.put(index.intValue(), r.path("reason").asText("rejected")) != null) {
                throw new UnaccountedAnswerException(sent, "record " + index.intValue() + " is rejected twice");
            }
        }
        long total = accepted.longValue() + duplicates.longValue() + reasons.size();
        if (total != sent) {
            throw new UnaccountedAnswerException(sent, "accepted " + accepted.longValue() + " + duplicates "
                    + duplicates.longValue() + " + rejected " + reasons.size() + " = " + total);
        }
        return new DeliveryAnswer(accepted.intValue(), duplicates.intValue(), reasons);
    }

    private static boolean isCount(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToInt() && n.intValue() >= 0;
    }

    /** The body of a 2xx, checked inside the breaker: a failure (retried, counted) unless it accounts for every record sent. */
    public static void requireAccounted(byte[] body, java.util.List<?> sent) throws UnaccountedAnswerException {
        read(body, sent == null ? 0 : sent.size());
    }

    /** A 2xx whose body does not account for every record sent: retried with backoff, counted by the breaker. */
    public static class UnaccountedAnswerException extends Exception {
        UnaccountedAnswerException(int sent, String why) {
            super("analytics API answered a 2xx that does not account for the " + sent + " records sent (" + why + ")");
        }
    }
}
