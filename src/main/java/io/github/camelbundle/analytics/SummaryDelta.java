package io.github.camelbundle.analytics;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.MergedRecord;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Partial aggregates of some stored records: what the summary needs of them, in a size that depends
 * on the keys touched (currencies, regions, tiers, products, seconds, latency buckets), not on the
 * record count. Adding and merging are commutative, so deltas fold in any order to the same totals.
 */
final class SummaryDelta {

    /** Index of the fields in a product's entry. */
    static final int QUANTITY = 0;
    static final int RECORDS = 1;
    static final int VERSION = 2;
    static final int STOCK = 3;

    long records;
    long fulfillable;
    final Map<String, BigDecimal> orderValue = new HashMap<>();
    final Map<String, Long> currencyRecords = new HashMap<>();
    final Map<String, Long> regions = new HashMap<>();
    final Map<String, Long> tiers = new HashMap<>();
    /** productId -> {quantity, records, latest inventory version, stock level at that version}. */
    final Map<String, long[]> products = new HashMap<>();
    /** epoch second of storage -> records stored in it (throughput). */
    final Map<Long, Long> seconds = new HashMap<>();
    /** epoch minute of storage -> latency bucket -> records (latency percentiles). */
    final Map<Long, Map<Integer, Long>> latency = new HashMap<>();

    /** One stored record; {@code latencyMs} is the value stored in its row. */
    void add(MergedRecord r, long latencyMs, Instant storedAt) {
        records++;
        fulfillable += r.fulfillable() ? 1 : 0;
        // the column is NUMERIC(38, 12): sum what the row holds
        addCurrency(r.product().currency(), 1, r.orderValue().setScale(12, RoundingMode.HALF_UP));
        regions.merge(r.customer().region().name(), 1L, Long::sum);
        tiers.merge(r.customer().tier().name(), 1L, Long::sum);
        addProduct(r.product().productId(), r.quantity(), 1, r.inventoryVersion(), r.product().stockLevel());
        long millis = storedAt.toEpochMilli();
        seconds.merge(Math.floorDiv(millis, 1000L), 1L, Long::sum);
        addLatency(Math.floorDiv(millis, 60_000L), LatencyBuckets.bucket(latencyMs), 1);
    }

    void addCurrency(String currency, long count, BigDecimal value) {
        currencyRecords.merge(currency, count, Long::sum);
        orderValue.merge(currency, value, BigDecimal::add);
    }

    /**
     * The newest inventory version wins the stock level; on the same version the lower level wins,
     * so the result does not depend on the order records are added in.
     */
    void addProduct(String productId, long quantity, long count, long version, long stock) {
        long[] p = products.get(productId);
        if (p == null) {
            products.put(productId, new long[] {quantity, count, version, stock});
            return;
        }
        p[QUANTITY] += quantity;
        p[RECORDS] += count;
        if (version > p[VERSION] || version == p[VERSION] && stock < p[STOCK]) {
            p[VERSION] = version;
            p[STOCK] = stock;
        }
    }

    void addLatency(long minute, int bucket, long count) {
        latency.computeIfAbsent(minute, m -> new HashMap<>()).merge(bucket, count, Long::sum);
    }

    void merge(SummaryDelta other) {
        records += other.records;
        fulfillable += other.fulfillable;
        other.currencyRecords.forEach((k, v) -> addCurrency(k, v, other.orderValue.get(k)));
        other.regions.forEach((k, v) -> regions.merge(k, v, Long::sum));
        other.tiers.forEach((k, v) -> tiers.merge(k, v, Long::sum));
        other.products.forEach((k, p) -> addProduct(k, p[QUANTITY], p[RECORDS], p[VERSION], p[STOCK]));
        other.seconds.forEach((k, v) -> seconds.merge(k, v, Long::sum));
        other.latency.forEach((m, buckets) -> buckets.forEach((b, v) -> addLatency(m, b, v)));
    }

    /** The stored form: one compact JSON text per delta row. */
    String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(new Wire(records, fulfillable, orderValue, currencyRecords, regions,
                    tiers, products, seconds, latency));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a summary delta did not serialise", e);
        }
    }

    static SummaryDelta fromJson(String json) {
        try {
            Wire w = Json.MAPPER.readValue(json, Wire.class);
            SummaryDelta d = new SummaryDelta();
            d.records = w.n();
            d.fulfillable = w.f();
            d.orderValue.putAll(w.value());
            d.currencyRecords.putAll(w.cur());
            d.regions.putAll(w.reg());
            d.tiers.putAll(w.tier());
            d.products.putAll(w.prod());
            d.seconds.putAll(w.sec());
            w.lat().forEach((m, buckets) -> d.latency.put(m, new HashMap<>(buckets)));
            return d;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored summary delta is not readable", e);
        }
    }

    /** Short names: a delta of a 500-record batch holds up to 500 product entries. */
    private record Wire(long n, long f, Map<String, BigDecimal> value, Map<String, Long> cur, Map<String, Long> reg,
                        Map<String, Long> tier, Map<String, long[]> prod, Map<Long, Long> sec,
                        Map<Long, Map<Integer, Long>> lat) {
    }
}
