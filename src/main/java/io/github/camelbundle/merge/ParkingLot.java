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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * The in-memory side of the durable wait. The events themselves sit in the aggregator's JDBC
 * repository (one group per event, key {@code productId|eventId}); this keeps the keys by product, so
 * that an inventory arrival finds the events to release without a database read, and the join's
 * main path never touches the repository. Rebuilt from the repository's keys at start-up.
 */
public class ParkingLot {

    private static final ObjectReader READER = Json.MAPPER.readerFor(ParkedEvent.class);
    private static final String ROUTE = "park-events-until-inventory";

    /** What to do with a parked event whose group completed. */
    public enum Decision { RELEASE, EXTEND, HAND_OVER, EXPIRE }

    /** Whether a customer partition is still assigned to this instance: empty when not known yet. */
    @FunctionalInterface
    public interface PartitionOwnership {
        Optional<Boolean> owns(String topic, int partition);
    }

    private final InventoryTable table;
    private final PipelineMetrics metrics;
    private final BooleanSupplier sawAllInventory;
    private final PartitionOwnership ownership;
    private final int maxExtensions;
    private final Map<String, Set<String>> eventIdsByProduct = new ConcurrentHashMap<>();

    /**
     * @param sawAllInventory true while the merge consumes, has read the inventory topic to its end and
     *                        the join has applied all it read: only then does a missing product mean the
     *                        inventory never came
     * @param ownership       whether the partition an event came from is still this instance's
     * @param maxExtensions   how many more max-wait periods an event may wait, here or handed over
     */
    public ParkingLot(InventoryTable table, PipelineMetrics metrics, BooleanSupplier sawAllInventory,
                      PartitionOwnership ownership, int maxExtensions) {
        this.table = table;
        this.metrics = metrics;
        this.sawAllInventory = sawAllInventory;
        this.ownership = ownership;
        this.maxExtensions = maxExtensions;
    }

    /** The batch's events without inventory, to park; recorded in the index first. */
    public List<ParkingEntry> toPark(MergeBatch batch) throws JsonProcessingException {
        Instant now = Instant.now();
        List<ParkingEntry> entries = new ArrayList<>(batch.waiting().size());
        for (PendingEvent p : batch.waiting()) {
            String productId = p.event().productId();
            index(productId, p.event().eventId());
            entries.add(new ParkingEntry(productId, p.event().eventId(),
                    Json.MAPPER.writeValueAsString(new ParkedEvent(p.event(), p.source(), p.replayCount(), now,
                            p.waitExtensions()))));
        }
        metrics.joinWaits(entries.size());
        return entries;
    }

    /**
     * Release signals for every parked event of the products whose inventory this batch brought, and of
     * the products it merged events for (an event parked before a crash and read again after it is
     * merged directly; its parked copy must not expire into the dead-letter topic).
     */
    public List<ParkingEntry> releases(MergeBatch batch) {
        List<ParkingEntry> signals = new ArrayList<>();
        Set<String> products = new java.util.HashSet<>(batch.arrivedProducts());
        if (!eventIdsByProduct.isEmpty()) {
            batch.merged().forEach(m -> products.add(m.product().productId()));
        }
        for (String productId : products) {
            Set<String> eventIds = eventIdsByProduct.get(productId);
            if (eventIds != null) {
                eventIds.forEach(eventId -> signals.add(new ParkingEntry(productId, eventId, null)));
            }
        }
        return signals;
    }

    public boolean hasWork(MergeBatch batch) {
        return !batch.waiting().isEmpty() || !eventIdsByProduct.isEmpty();
    }

    /**
     * A group completed: release when the product is in the table now (whatever completed it); when
     * the event's partition has moved to another instance (scale-out, restart), hand it over to the
     * instance that now reads that product's inventory; when max-wait passed while the pipeline could
     * not have seen the inventory (consumption suspended, or the inventory topic not read to its end),
     * wait another max-wait. Both count against the same limit; past it (where the partition is owned),
     * or else, expire.
     */
    public Decision decide(String json, String completedBy) throws JsonProcessingException {
        ParkedEvent parked = READER.readValue(json);
        if (table.get(parked.event().productId()) != null) {
            return Decision.RELEASE;
        }
        // only the instance that reads the product's inventory may conclude that it never came: a moved
        // event is handed over even past the limit (each hand-over counts, and the owner then decides)
        if (ownership.owns(parked.source().topic(), parked.source().partition()).orElse(true) == Boolean.FALSE) {
            return Decision.HAND_OVER;
        }
        if (parked.extensions() >= maxExtensions) {
            return Decision.EXPIRE;
        }
        // a group recovered after a crash has lost its completion reason: wait again rather than guess
        boolean recovered = completedBy == null || completedBy.isEmpty();
        if (recovered || !sawAllInventory.getAsBoolean()) {
            return Decision.EXTEND;
        }
        // the inventory may have reached the table while that was found out (it asks the broker)
        return table.get(parked.event().productId()) != null ? Decision.RELEASE : Decision.EXPIRE;
    }

    /** The event parked again for another max-wait (same key, so a release still finds it). */
    public ParkingEntry extend(String json) throws JsonProcessingException {
        ParkedEvent p = READER.readValue(json);
        index(p.event().productId(), p.event().eventId());
        return new ParkingEntry(p.event().productId(), p.event().eventId(), Json.MAPPER.writeValueAsString(
                new ParkedEvent(p.event(), p.source(), p.replayCount(), p.parkedAt(), p.extensions() + 1)));
    }

    /**
     * Handed over: the original customer event, keyed by its product (so it lands on the partition the
     * product's inventory is on, and on the instance that reads it), with its replay count and the wait
     * it has spent, for the merge topic again. The parked copy is dropped once this is acknowledged.
     */
    public void handOver(Exchange exchange, String json) throws JsonProcessingException {
        ParkedEvent parked = READER.readValue(json);
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(KafkaConstants.KEY, parked.event().productId());
        message.setHeader(IncomingRecordParser.REPLAY_COUNT, Integer.toString(parked.replayCount()));
        message.setHeader(IncomingRecordParser.WAIT_EXTENSIONS, Integer.toString(parked.extensions() + 1));
        message.setBody(Json.MAPPER.writeValueAsBytes(parked.event()));
    }

    /** Counts a hand-over once the broker has acknowledged it. */
    public void handedOver() {
        metrics.handedOver(1);
    }

    /** The aggregator's completion predicate: the product's inventory is in the table now. */
    public boolean ready(String productId) {
        return table.get(productId) != null;
    }

    /**
     * A group completed (released, timed out, or recovered by the repository after a crash, when the
     * exchange properties are gone): forget its key, read from the parked event itself.
     */
    public void completed(String json) throws JsonProcessingException {
        if (json == null) {
            return;
        }
        ParkedEvent parked = READER.readValue(json);
        String productId = parked.event().productId();
        eventIdsByProduct.computeIfPresent(productId, (id, ids) -> {
            ids.remove(parked.event().eventId());
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
                "productId: no inventory for '" + parked.event().productId() + "' arrived within merge.max-wait"
                        + (parked.extensions() > 0 ? " x " + (1 + parked.extensions()) + " (extended or handed over)" : ""),
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

    /** The ids of the events waiting now. */
    public Set<String> eventIds() {
        Set<String> ids = new java.util.HashSet<>();
        eventIdsByProduct.values().forEach(ids::addAll);
        return ids;
    }

    /**
     * The ids of the events a completed-but-unconfirmed group holds in the repository (their output was
     * cut short by a crash or failed): the repository's recovery runs them again, so they are not lost.
     */
    public static Set<String> recovering(org.apache.camel.spi.RecoverableAggregationRepository repository,
                                         org.apache.camel.CamelContext context) {
        Set<String> ids = new java.util.HashSet<>();
        for (String exchangeId : repository.scan(context)) {
            org.apache.camel.Exchange exchange = repository.recover(context, exchangeId);
            String json = exchange == null ? null : exchange.getMessage().getBody(String.class);
            if (json != null) {
                try {
                    ids.add(READER.<ParkedEvent>readValue(json).event().eventId());
                } catch (JsonProcessingException notAnEvent) {
                    // a release signal's empty group: nothing to account for
                }
            }
        }
        return ids;
    }

    /** Events waiting now (the integration_records_parked gauge). */
    public int count() {
        return eventIdsByProduct.values().stream().mapToInt(Set::size).sum();
    }

    private void index(String productId, String eventId) {
        eventIdsByProduct.computeIfAbsent(productId, id -> ConcurrentHashMap.newKeySet()).add(eventId);
    }
}
