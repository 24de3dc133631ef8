package io.github.camelbundle.delivery;

import io.github.camelbundle.dlq.DeadLetter;
import io.github.camelbundle.merge.MergeBatch;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.MergedRecord;
import io.github.camelbundle.monitor.PipelineMetrics;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Reads the analytics API's answer to one delivered batch (one that accounts for every record sent,
 * see {@link DeliveryAnswer}): the records it rejected become dead
 * letters ({@code REJECTED_BY_API}, with the API's reason), every other record counts as delivered
 * and its end-to-end latency (customer event time to this acknowledgement) is recorded.
 */
public class DeliveryAcknowledgement {

    private static final String ROUTE = "deliver-to-analytics";

    private final PipelineMetrics metrics;

    public DeliveryAcknowledgement(PipelineMetrics metrics) {
        this.metrics = metrics;
    }

    public void acknowledge(byte[] response, List<MergedRecord> sent, MergeBatch batch)
            throws IOException, DeliveryAnswer.UnaccountedAnswerException {
        Instant now = Instant.now();
        // checked inside the breaker (guarded-post); read again here, as strictly
        Map<Integer, String> rejected = DeliveryAnswer.read(response, sent.size()).rejected();
        int delivered = 0;
        for (int i = 0; i < sent.size(); i++) {
            MergedRecord record = sent.get(i);
            String reason = rejected.get(i);
            if (reason != null) {
                batch.addDeadLetter(deadLetter(DeadLetter.REJECTED_BY_API, "RejectedByApi", reason, record, batch));
            } else {
                delivered++;
                metrics.latency(Duration.between(record.customerEventTime(), now));
            }
        }
        metrics.delivered(delivered);
    }

    /**
     * The API refused a single record with a 4xx (after its batch was refused as a whole and split):
     * it goes to the dead-letter topic with the API's answer as the reason.
     */
    public void rejectedByStatus(int status, String response, List<MergedRecord> sent, MergeBatch batch) throws IOException {
        String detail = "HTTP " + status + (response == null || response.isBlank() ? "" : ": " + abbreviate(response));
        for (MergedRecord record : sent) {
            batch.addDeadLetter(deadLetter(DeadLetter.REJECTED_BY_API, "RejectedByApi", detail, record, batch));
        }
    }

    /** delivery.on-exhausted=dead-letter: the batch that could not be delivered goes to the dead-letter topic. */
    public void exhausted(Exception cause, List<MergedRecord> sent, MergeBatch batch) throws IOException {
        String detail = "delivery failed after all redeliveries: " + (cause == null ? "unknown" : cause.getMessage());
        for (MergedRecord record : sent) {
            batch.addDeadLetter(deadLetter(DeadLetter.DELIVERY_EXHAUSTED,
                    cause == null ? "DeliveryExhausted" : cause.getClass().getName(), detail, record, batch));
        }
    }

    private static DeadLetter deadLetter(String reason, String errorClass, String detail, MergedRecord record,
                                         MergeBatch batch) throws IOException {
        return new DeadLetter(reason, errorClass, detail, record.source().topic(), record.source().partition(),
                record.source().offset(), record.customer().productId(), Json.MAPPER.writeValueAsBytes(record), ROUTE,
                batch.replayCount(record.eventId()));
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }
}
