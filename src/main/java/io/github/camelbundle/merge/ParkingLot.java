package io.github.camelbundle.merge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.MergedRecord;
import io.github.camelbundle.monitor.PipelineMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory side of the durable wait. The events themselves sit in the aggregator's JDBC
 * repository (one group per event, key {@code productId|eventId}); this keeps the keys by product, so
 * that an inventory arrival finds the events to release without a database read, and the join's
 * main path never touches the repository. Rebuilt from the repository's keys at start-up.
 */
public class ParkingLot {

    private static final ObjectReader READER = Json.MAPPER.readerFor(ParkedEvent.class);
    private static final String ROUTE = "park-events-until-inventory";

    private final InventoryTable table;
    private final PipelineMetrics metrics;
    private final Map<String, Set<String>> eventIdsByProduct = new ConcurrentHashMap<>();

    public ParkingLot(InventoryTable table, PipelineMetrics metrics) {
        this.table = table;
        this.metrics = metrics;
    }

    /** The batch's events without inventory, to park; recorded in the index first. */
    public List<ParkingEntry> toPark(MergeBatch batch) throws JsonProcessingException {
        Instant now = Instant.now();
        List<ParkingEntry> entries = new ArrayList<>(batch.waiting().size());
        for (PendingEvent p : batch.waiting()) {
            String productId = p.event().productId();
            index(productId, p.event().eventId());
            entries.add(new ParkingEntry(productId, p.event().eventId(),
                    Json.MAPPER.writeValueAsString(new ParkedEvent(p.event(), p.source(), p.replayCount(), now))));
        }
        return entries;
    }

    /** Release signals for every parked event of the products whose inventory this batch brought. */
    public List<ParkingEntry> releases(MergeBatch batch) {
        List<ParkingEntry> signals = new ArrayList<>();
        for (String productId : batch.arrivedProducts()) {
            Set<String> eventIds = eventIdsByProduct.get(productId);
            if (eventIds != null) {
                eventIds.forEach(eventId -> signals.add(new ParkingEntry(productId, eventId, null)));
            }
        }
        return signals;
    }

    public boolean hasWork(MergeBatch batch) {
        return !batch.waiting().isEmpty() || (!eventIdsByProduct.isEmpty() && !batch.arrivedProducts().isEmpty());
    }

    /** The aggregator's completion predicate: the product's inventory is in the table now. */
    public boolean ready(String productId) {
        return table.get(productId) != null;
    }

    /** A group completed (released or timed out): forget its key. */
    public void completed(String correlationKey) {
        int bar = correlationKey.indexOf('|');
        String productId = correlationKey.substring(0, bar);
        eventIdsByProduct.computeIfPresent(productId, (id, ids) -> {
            ids.remove(correlationKey.substring(bar + 1));
            return ids.isEmpty() ? null : ids;
        });
    }

    /** Released: the event joined with the product's current inventory, ready for delivery. */
    public MergeBatch release(String json) throws JsonProcessingException {
        ParkedEvent parked = READER.readValue(json);
        MergeBatch batch = new MergeBatch();
        InventoryRecord stock = table.get(parked.event().productId());
        if (stock == null) {
            // cannot happen through the predicate; park-and-release is retried by the repository's recovery
            throw new IllegalStateException("no inventory for released event " + parked.event().eventId());
        }
        batch.merged().add(MergedRecord.of(parked.event(), stock, parked.source(), Instant.now()));
        batch.replayed(parked.event().eventId(), parked.replayCount());
        metrics.merged(1);
        return batch;
    }

    /** Waited out merge.max-wait: a NO_INVENTORY dead letter holding the original event. */
    public MergeBatch expire(String json) throws JsonProcessingException {
        ParkedEvent parked = READER.readValue(json);
        MergeBatch batch = new MergeBatch();
        batch.addDeadLetter(new DeadLetter(DeadLetter.NO_INVENTORY, "NoInventory",
                "productId: no inventory for '" + parked.event().productId() + "' arrived within merge.max-wait",
                parked.source().topic(), parked.source().partition(), parked.source().offset(),
                parked.event().productId(), Json.MAPPER.writeValueAsBytes(parked.event()), ROUTE, parked.replayCount()));
        return batch;
    }

    /** Rebuilds the index from the repository's keys (the events that waited across a restart). */
    public void restore(Set<String> correlationKeys) {
        for (String key : correlationKeys) {
            int bar = key.indexOf('|');
            if (bar > 0) {
                index(key.substring(0, bar), key.substring(bar + 1));
            }
        }
    }

    /** Events waiting now (the integration_records_parked gauge). */
    public int count() {
        return eventIdsByProduct.values().stream().mapToInt(Set::size).sum();
    }

    private void index(String productId, String eventId) {
        eventIdsByProduct.computeIfAbsent(productId, id -> ConcurrentHashMap.newKeySet()).add(eventId);
    }
}
