package io.github.camelbundle.bench;

import io.github.camelbundle.kafka.KafkaConnection;
import io.github.camelbundle.kafka.KafkaObserver;
import io.github.camelbundle.model.CustomerEvent;
import io.github.camelbundle.model.InventoryRecord;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.model.Region;
import io.github.camelbundle.model.Tier;
import io.github.camelbundle.monitor.PipelineMetrics;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code bench --scenario=late-inventory --waiting=50000 --products=5000} (issue 18): publishes N customer
 * events for products that have no inventory, times their parking (until the parked gauge shows all N),
 * then publishes those products' inventory and times their release into delivery (until the sink or the
 * store holds N records), and checks event id by event id that every one of them arrived.
 */
final class LateInventoryScenario {

    /** How often the gauge and the store are read: the figures are this coarse. */
    private static final long POLL_MILLIS = 100;

    private final CamelContext context;
    private final BenchOptions options;
    private final LongSupplier storedCount;
    private final Supplier<Set<String>> storedIds;
    /** In every event id: a store kept across runs (--store=jdbc:...) still tells this run's records apart. */
    private final String run = Long.toString(System.currentTimeMillis(), 36);

    /**
     * @param storedCount what the sink or store holds now (cheap: read every {@value #POLL_MILLIS} ms)
     * @param storedIds   the event ids it holds (read once, at the end)
     */
    LateInventoryScenario(CamelContext context, BenchOptions options, LongSupplier storedCount,
                          Supplier<Set<String>> storedIds) {
        this.context = context;
        this.options = options;
        this.storedCount = storedCount;
        this.storedIds = storedIds;
    }

    Map<String, Object> run() throws Exception {
        PipelineMetrics metrics = context.getRegistry().lookupByNameAndType("pipelineMetrics", PipelineMetrics.class);
        KafkaObserver kafka = context.getRegistry().lookupByNameAndType("kafkaObserver", KafkaObserver.class);
        String customerTopic = context.resolvePropertyPlaceholders("{{topic.customers}}");
        String inventoryTopic = context.resolvePropertyPlaceholders("{{topic.inventory}}");
        int waiting = options.waiting();
        int products = options.products();
        long timeout = TimeUnit.SECONDS.toNanos(options.drainSeconds());
        JvmProbe jvm = new JvmProbe();
        long startedNanos = System.nanoTime();
        long cpuAtStart = jvm.cpuNanos();

        // a reused store already holds records: count from what it holds now
        long storedBefore = storedCount.getAsLong();
        LongSupplier storedNow = () -> storedCount.getAsLong() - storedBefore;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", options.scenario());
        r.put("waiting", waiting);
        r.put("products", products);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            // events for products nobody has published yet: every one of them must wait
            long parkFrom = System.nanoTime();
            for (int i = 0; i < waiting; i++) {
                String product = productId(i % products);
                producer.send(new ProducerRecord<>(customerTopic, product, Json.MAPPER.writeValueAsBytes(event(i, product))));
            }
            producer.flush();
            r.put("eventsPublishMs", millisSince(parkFrom));
            boolean parked = awaitUntil(parkFrom + timeout, () -> Bench.parked(metrics) >= waiting);
            long parkNanos = System.nanoTime() - parkFrom;
            r.put("parkMs", parked ? millis(parkNanos) : null);
            r.put("parkedPerS", parked ? Bench.round(waiting / (parkNanos / 1e9)) : null);
            if (storedNow.getAsLong() > 0) {
                throw new IllegalStateException("records were delivered before their inventory was published");
            }

            // the inventory's publication starts the clock: release is measured from it to the last record stored
            long releaseFrom = System.nanoTime();
            for (int p = 0; p < products; p++) {
                producer.send(new ProducerRecord<>(inventoryTopic, productId(p), Json.MAPPER.writeValueAsBytes(stock(p))));
            }
            producer.flush();
            r.put("inventoryPublishMs", millisSince(releaseFrom));
            long[] firstStored = {-1};
            boolean released = awaitUntil(releaseFrom + timeout, () -> {
                long stored = storedNow.getAsLong();
                if (stored > 0 && firstStored[0] < 0) {
                    firstStored[0] = System.nanoTime() - releaseFrom;
                }
                return stored >= waiting;
            });
            long releaseNanos = System.nanoTime() - releaseFrom;
            r.put("firstStoredMs", firstStored[0] < 0 ? null : millis(firstStored[0]));
            r.put("releaseMs", released ? millis(releaseNanos) : null);
            r.put("releasedPerS", released ? Bench.round(waiting / (releaseNanos / 1e9)) : null);
        }

        // lost is counted id by id: a duplicate or a stray record must not hide a missing one
        Set<String> delivered = new HashSet<>(storedIds.get());
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < waiting; i++) {
            expected.add(eventId(i));
        }
        delivered.retainAll(expected);
        r.put("stored", delivered.size());
        r.put("lost", waiting - delivered.size());
        r.put("deadLettered", Math.max(0, kafka.dlqDepth()));
        r.put("parkedAfter", Bench.parked(metrics));
        r.put("cpuPercent", Bench.round(100.0 * (jvm.cpuNanos() - cpuAtStart) / (System.nanoTime() - startedNanos)));
        r.put("heapUsedMb", Bench.round(jvm.heapUsedMb()));
        r.put("liveHeapMbAfterGc", Bench.round(jvm.liveHeapAfterGcMb()));
        r.put("sink", options.sink());
        r.put("javaVersion", System.getProperty("java.version"));
        r.put("cores", Runtime.getRuntime().availableProcessors());
        return r;
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties props = KafkaConnection.of(context).properties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // a burst as one outside producer would send it: large batches, so the broker is not what is timed
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static boolean awaitUntil(long deadlineNanos, BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadlineNanos) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }

    private static String productId(int p) {
        return "LATE-P" + p;
    }

    private String eventId(int i) {
        return "late-" + run + "-" + i;
    }

    private CustomerEvent event(int i, String productId) {
        return new CustomerEvent(eventId(i), "C" + i % 997, "Ada Lovelace", "ada@example.com", Tier.values()[i % 4],
                Region.values()[i % 4], productId, 1 + i % 5, Instant.now(), Map.of());
    }

    private static InventoryRecord stock(int p) {
        return new InventoryRecord(productId(p), "SKU-L" + p, "Teapot", "Kitchen", new BigDecimal("12.50"), "EUR", 500,
                "WH-1", 1L, Instant.now(), Map.of());
    }

    private static long millisSince(long fromNanos) {
        return millis(System.nanoTime() - fromNanos);
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
