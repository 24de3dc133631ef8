package io.github.camelbundle.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * Publishes the stock of every catalog product once (the snapshot, as fast as ticks allow, so the
 * join has a table from the start), then stock updates at the configured rate. Versions are derived
 * from the wall clock and strictly increase per product, so they keep increasing across restarts
 * and the merge never mistakes a restarted generator's updates for stale ones.
 */
public class InventoryGenerator {

    private final ProductCatalog catalog;
    private final RatePacer pacer;
    private final int maxPerTick;
    private final long limit;
    private final int snapshotSize;
    private final int[] stock;
    private final long[] versions;
    private int snapshotNext;

    /** The rate is a Number: Camel's constructor binding (YAML beans) does not widen a "5" to a double. */
    public InventoryGenerator(ProductCatalog catalog, Number ratePerSecond, int maxPerTick, long limit) {
        this.catalog = catalog;
        this.maxPerTick = maxPerTick;
        this.limit = limit;
        // a limit below the catalog size cuts the snapshot short (those products never get stock)
        this.snapshotSize = limit > 0 ? (int) Math.min(catalog.size(), limit) : catalog.size();
        // the pacer only governs the updates after the snapshot
        this.pacer = new RatePacer(ratePerSecond.doubleValue(), maxPerTick, limit > 0 ? limit - snapshotSize : 0, System.nanoTime());
        this.stock = new int[catalog.size()];
        this.versions = new long[catalog.size()];
        for (int i = 0; i < stock.length; i++) {
            stock[i] = catalog.get(i).initialStock();
        }
    }

    public List<Message> nextBatch(Exchange exchange) throws JsonProcessingException {
        Instant now = Instant.now();
        List<Message> batch = new ArrayList<>();
        if (snapshotNext < snapshotSize) {
            int end = Math.min(snapshotSize, snapshotNext + maxPerTick);
            for (int i = snapshotNext; i < end; i++) {
                batch.add(toMessage(exchange, record(i, now)));
            }
            snapshotNext = end;
            return batch;
        }
        if (finished()) {
            return batch;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int due = pacer.due(System.nanoTime());
        for (int n = 0; n < due; n++) {
            int i = random.nextInt(catalog.size());
            // stock moves by sales and restocks, never below zero
            stock[i] = Math.max(0, stock[i] + (random.nextInt(4) == 0 ? random.nextInt(200) : -random.nextInt(10)));
            batch.add(toMessage(exchange, record(i, now)));
        }
        pacer.emitted(due);
        return batch;
    }

    /** Records published so far, snapshot included. */
    public long generated() {
        return snapshotNext + pacer.emitted();
    }

    public boolean finished() {
        return limit > 0 && generated() >= limit;
    }

    private InventoryRecord record(int i, Instant now) {
        Product p = catalog.get(i);
        long version = Math.max(versions[i] + 1, now.toEpochMilli() * 1000);
        versions[i] = version;
        return new InventoryRecord(p.productId(), p.sku(), p.name(), p.category(), p.price(), p.currency(),
                stock[i], p.warehouse(), version, now, Map.of());
    }

    private static Message toMessage(Exchange exchange, InventoryRecord record) throws JsonProcessingException {
        Message message = new DefaultMessage(exchange.getContext());
        message.setHeader(KafkaConstants.KEY, record.productId());
        message.setBody(Json.MAPPER.writeValueAsBytes(record));
        return message;
    }
}
