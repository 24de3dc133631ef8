package io.github.camelbundle.merge;

import io.github.camelbundle.model.Json;
import java.time.Instant;
import java.util.List;

/** Turns customer events that waited past {@code merge.max-wait} into NO_INVENTORY dead letters. */
public class ParkedEventExpiry {

    private static final String ROUTE = "expire-parked-events";

    private final ParkedEvents parked;

    public ParkedEventExpiry(ParkedEvents parked) {
        this.parked = parked;
    }

    /** A batch holding the expired events as dead letters (the original event as payload). */
    public MergeBatch expire() throws com.fasterxml.jackson.core.JsonProcessingException {
        List<PendingEvent> expired = parked.beginExpiry(Instant.now());
        MergeBatch batch = new MergeBatch();
        for (PendingEvent e : expired) {
            batch.addDeadLetter(new DeadLetter(DeadLetter.NO_INVENTORY, "NoInventory",
                    "productId: no inventory for '" + e.event().productId() + "' arrived within merge.max-wait",
                    e.source().topic(), e.source().partition(), e.source().offset(), e.event().productId(),
                    Json.MAPPER.writeValueAsBytes(e.event()), ROUTE, e.replayCount()));
        }
        return batch;
    }

    public void written() {
        parked.expiryWritten();
    }

    public void failed() {
        parked.expiryFailed();
    }
}
