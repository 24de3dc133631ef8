package io.github.camelbundle.bench;

import io.github.camelbundle.FreePorts;
import io.github.camelbundle.RoleSelection;
import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.kafka.KafkaObserver;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.monitor.PipelineMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * {@code java -jar <bundle> bench [--warmup=15] [--measure=60] [--rate=0] [--broker=inproc|external]
 * [--sink=store|count] [--idle=true] [--scenario=steady|late-inventory] [--waiting=50000]}:
 * runs the whole pipeline (generators at --rate customer events/s, 0 = as fast as it goes), measures a
 * window after the warm-up, stops the generators, drains, counts every record, and prints a table
 * and one {@code BENCH {json}} line. The broker runs in this JVM or in its own process.
 * {@code --scenario=late-inventory} times a burst of waiting events instead ({@link LateInventoryScenario}).
 */
public final class Bench {

    private static final String CUSTOMERS = "customers-timer-to-kafka";
    private static final String INVENTORY = "inventory-timer-to-kafka";

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        Path dir = Files.createTempDirectory("bundle-bench");
        Process broker = null;
        Main main = new Main();
        CountingSink sink = options.sink().equals("count") ? new CountingSink() : null;
        try {
            Map<String, String> props = new LinkedHashMap<>();
            if (options.broker().equals("external")) {
                int port = FreePorts.next();
                broker = ExternalBroker.start(port, dir.resolve("kafka"));
                props.put("kafka.embedded.enabled", "false");
                props.put("kafka.brokers", "127.0.0.1:" + port);
            } else {
                props.put("kafka.embedded.enabled", "true");
                props.put("kafka.embedded.port", "0");
                props.put("kafka.embedded.data-dir", dir.resolve("kafka").toString());
            }
            int http = FreePorts.next();
            props.put("camel.server.port", Integer.toString(http));
            props.put("camel.management.port", Integer.toString(FreePorts.next()));
            props.put("delivery.url", sink != null ? sink.url() : "http://localhost:" + http + "/analytics/data");
            if (sink != null) {
                props.put("bundle.roles", "generators,pipeline");
            }
            props.put("analytics.datasource.url", options.store().equals("h2")
                    ? "jdbc:h2:file:" + dir.resolve("analytics") + ";DB_CLOSE_ON_EXIT=FALSE" : options.store());
            props.put("merge.parking.datasource.url", "jdbc:h2:file:" + dir.resolve("parking") + ";DB_CLOSE_ON_EXIT=FALSE");
            if (options.lateInventory()) {
                props.put("generator.enabled", "false");
                // long enough that no waiting event expires while the bench times the burst (-D still wins)
                if (System.getProperty("merge.max-wait") == null) {
                    props.put("merge.max-wait", "600s");
                }
            } else if (!options.idle()) {
                props.put("generator.customers.rate-per-second", Double.toString(options.rate()));
                props.put("generator.inventory.rate-per-second", Double.toString(options.inventoryRate()));
                // short ticks, so the generators are never what caps a high rate (-Dgenerator.tick-ms still wins)
                if (System.getProperty("generator.tick-ms") == null) {
                    props.put("generator.tick-ms", "10");
                }
            }
            props.put("generator.products", Integer.toString(options.products()));
            props.put("monitor.interval", options.sampleSeconds() + "s");
            props.forEach(main::addOverrideProperty);
            main.addMainListener(new RoleSelection());
            main.addMainListener(new io.github.camelbundle.Tracing());
            long started = System.nanoTime();
            main.start();
            CamelContext context = main.getCamelContext();
            AnalyticsStore store = context.getRegistry().lookupByNameAndType("analyticsStore", AnalyticsStore.class);
            LongSupplier stored = sink != null ? sink::count : storeCount(store);
            Map<String, Object> result;
            if (options.lateInventory()) {
                System.out.printf(Locale.US, "bench: pipeline started in %.1f s; publishing %d waiting events%n",
                        (System.nanoTime() - started) / 1e9, options.waiting());
                result = new LateInventoryScenario(context, options, stored, sink != null ? sink::eventIds : storeIds(store)).run();
                result.put("configuration", configuration(context, options));
                System.out.println(BenchReport.lateInventoryTable(result));
            } else {
                System.out.printf(Locale.US, "bench: pipeline started in %.1f s; warming up %d s%n",
                        (System.nanoTime() - started) / 1e9, options.warmupSeconds());
                result = measure(context, options, stored);
                System.out.println(BenchReport.table(result));
            }
            System.out.println("BENCH " + Json.MAPPER.writeValueAsString(result));
        } finally {
            main.stop();
            if (sink != null) {
                sink.close();
            }
            if (broker != null) {
                broker.destroy();
                broker.waitFor(30, TimeUnit.SECONDS);
            }
            // a saturated minute leaves gigabytes of broker log and H2 file behind
            deleteTree(dir);
        }
    }

    private static LongSupplier storeCount(AnalyticsStore store) {
        return () -> {
            try {
                return store.count();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("the bench could not count the stored records", e);
            }
        };
    }

    private static java.util.function.Supplier<java.util.Set<String>> storeIds(AnalyticsStore store) {
        return () -> {
            try {
                return store.eventIds();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("the bench could not read the stored event ids", e);
            }
        };
    }

    /** Events waiting for inventory now: the integration_records_parked gauge, whatever keeps the wait. */
    static int parked(PipelineMetrics metrics) {
        Gauge gauge = metrics.registry().find("integration.records.parked").gauge();
        return gauge == null ? 0 : (int) gauge.value();
    }

    /** Deletes a bench run's data directory (the test benches use it too). */
    static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Map<String, Object> measure(CamelContext context, BenchOptions options, LongSupplier storedCount)
            throws Exception {
        PipelineMetrics metrics = context.getRegistry().lookupByNameAndType("pipelineMetrics", PipelineMetrics.class);
        JvmProbe jvm = new JvmProbe();
        Thread.sleep(TimeUnit.SECONDS.toMillis(options.warmupSeconds()));

        Snapshot start = Snapshot.take(metrics, jvm, storedCount);
        List<Double> liveHeap = new ArrayList<>();
        // the window's percentiles per sample too: one bad second and a slow minute read differently
        List<Map<String, Object>> latencyPerSample = new ArrayList<>();
        CountAtBucket[] sampleStart = start.latencyBuckets();
        long windowEnd = start.nanos() + TimeUnit.SECONDS.toNanos(options.measureSeconds());
        long sampleNanos = TimeUnit.SECONDS.toNanos(options.sampleSeconds());
        // samples end on fixed boundaries (the last one at the window's end, shorter if the window is not a
        // multiple of the sample): no stray sample of a few records
        for (long sampleFrom = start.nanos(); sampleFrom < windowEnd; sampleFrom += sampleNanos) {
            long sampleTo = Math.min(windowEnd, sampleFrom + sampleNanos);
            TimeUnit.NANOSECONDS.sleep(Math.max(0, sampleTo - System.nanoTime()));
            liveHeap.add(round(jvm.liveHeapAfterGcMb()));
            CountAtBucket[] sampleEnd = metrics.latencyTimer().takeSnapshot().histogramCounts();
            Map<String, Object> sample = Snapshot.percentiles(sampleStart, sampleEnd);
            sample.put("seconds", round((sampleTo - sampleFrom) / 1e9));
            if (((Number) sample.get("count")).longValue() > 0) {
                latencyPerSample.add(sample);
            }
            sampleStart = sampleEnd;
        }
        Snapshot end = Snapshot.take(metrics, jvm, storedCount);
        double seconds = (end.nanos() - start.nanos()) / 1e9;

        // stop the generators, then let everything in flight reach the store, the DLQ or the parking lot
        context.getRouteController().stopRoute(CUSTOMERS);
        context.getRouteController().stopRoute(INVENTORY);
        KafkaObserver kafka = context.getRegistry().lookupByNameAndType("kafkaObserver", KafkaObserver.class);
        long generated = (long) metrics.count("integration.records.generated", "type", "customer");
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.drainSeconds());
        long stored;
        long deadLettered;
        long parked;
        do {
            Thread.sleep(500);
            stored = storedCount.getAsLong();
            deadLettered = Math.max(0, kafka.dlqDepth());
            parked = parked(metrics);
        } while (stored + deadLettered + parked < generated && System.nanoTime() < drainUntil);

        Map<String, Object> r = new LinkedHashMap<>();
        Map<String, Object> produced = new LinkedHashMap<>();
        produced.put("customer-data", round(end.generatedCustomers() - start.generatedCustomers(), seconds));
        produced.put("inventory-data", round(end.generatedInventory() - start.generatedInventory(), seconds));
        r.put("producedPerSec", produced);
        r.put("consumedPerSec", round(end.consumed() - start.consumed(), seconds));
        r.put("deliveredPerSec", round(end.stored() - start.stored(), seconds));
        r.put("latencyMs", Snapshot.percentiles(start.latencyBuckets(), end.latencyBuckets()));
        r.put("latencyMsPerSample", latencyPerSample);
        r.put("latencySampleSeconds", options.sampleSeconds());
        double cpuSeconds = (end.cpuNanos() - start.cpuNanos()) / 1e9;
        r.put("cpuPercent", round(100 * cpuSeconds / seconds));
        r.put("cpuPercentOfMachine", round(100 * cpuSeconds / seconds / Runtime.getRuntime().availableProcessors()));
        r.put("sink", options.sink());
        if (options.idle()) {
            // the whole process at the default rates (the embedded broker too with --broker=inproc)
            r.put("idleCpuPercent", round(100 * cpuSeconds / seconds));
        }
        r.put("heapUsedMb", round(end.heapUsedMb()));
        r.put("liveHeapMbAfterGc", round(jvm.liveHeapAfterGcMb()));
        r.put("liveHeapMbAfterGcSamples", liveHeap);
        r.put("gcPauseMs", end.gcMillis() - start.gcMillis());
        r.put("generated", generated);
        r.put("stored", stored);
        r.put("deadLettered", deadLettered);
        r.put("parked", parked);
        r.put("lost", generated - stored - deadLettered - parked);
        r.put("javaVersion", System.getProperty("java.version"));
        r.put("cores", Runtime.getRuntime().availableProcessors());
        r.put("configuration", configuration(context, options));
        return r;
    }

    /** The options and the settings that move the figures, as this run resolved them. */
    private static Map<String, Object> configuration(CamelContext context, BenchOptions options) {
        Map<String, Object> config = new LinkedHashMap<>(options.asMap());
        for (String key : List.of("merge.max-wait", "merge.max-poll-records", "merge.fetch-max-wait-ms", "merge.max-partition-fetch-bytes",
                "delivery.batch-size", "delivery.concurrency", "generator.max-per-tick", "generator.tick-ms",
                "generator.producer.linger-ms", "generator.producer.batch-size", "analytics.datasource.pool-size",
                "analytics.summary.fold-interval-ms", "camel.metrics.enableExchangeEventNotifier",
                "camel.metrics.routePolicyLevel", "metrics.untimed-routes")) {
            config.put(key, context.getPropertiesComponent().resolveProperty(key).orElse(null));
        }
        config.put("jvm", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        return config;
    }

    /** The counters at one moment. */
    private record Snapshot(long nanos, double generatedCustomers, double generatedInventory, double consumed,
                            double stored, CountAtBucket[] latencyBuckets, long cpuNanos, long gcMillis, double heapUsedMb) {

        static Snapshot take(PipelineMetrics m, JvmProbe jvm, LongSupplier stored) {
            return new Snapshot(System.nanoTime(), m.count("integration.records.generated", "type", "customer"),
                    m.count("integration.records.generated", "type", "inventory"),
                    m.registry().find("integration.records.consumed").counters().stream().mapToDouble(c -> c.count()).sum(),
                    stored.getAsLong(),
                    m.latencyTimer().takeSnapshot().histogramCounts(), jvm.cpuNanos(), jvm.gcMillis(), jvm.heapUsedMb());
        }

        /** p50/p95/p99/max of the records acknowledged within the window, from the histogram's bucket deltas. */
        static Map<String, Object> percentiles(CountAtBucket[] before, CountAtBucket[] after) {
            double[] counts = new double[after.length];
            double total = 0;
            for (int i = 0; i < after.length; i++) {
                double delta = after[i].count() - (i < before.length ? before[i].count() : 0);
                double previous = i == 0 ? 0 : after[i - 1].count() - (i - 1 < before.length ? before[i - 1].count() : 0);
                counts[i] = delta - previous;
                total = delta;
            }
            Map<String, Object> p = new LinkedHashMap<>();
            for (double q : new double[] {0.5, 0.95, 0.99}) {
                p.put("p" + (int) Math.round(q * 100), bucketAt(after, counts, total * q));
            }
            double max = 0;
            for (int i = 0; i < after.length; i++) {
                if (counts[i] > 0) {
                    max = after[i].bucket(TimeUnit.MILLISECONDS);
                }
            }
            p.put("max", round(max));
            p.put("count", (long) total);
            return p;
        }

        private static double bucketAt(CountAtBucket[] buckets, double[] counts, double rank) {
            double seen = 0;
            for (int i = 0; i < buckets.length; i++) {
                seen += counts[i];
                if (seen >= rank && counts[i] > 0) {
                    return round(buckets[i].bucket(TimeUnit.MILLISECONDS));
                }
            }
            return 0;
        }
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static double round(double count, double seconds) {
        return round(count / seconds);
    }
}
