package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.monitor.TraceEvents;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tracing.enabled, with the bundle's own SDK set-up exporting to memory (otel.traces.exporter=memory,
 * {@link MemorySpanExporterProvider}): one event id finds the span of each hop that handled it.
 */
class TracingTest {

    private static final AttributeKey<String> URI = AttributeKey.stringKey("camel.uri");
    private static final Map<String, String> HOPS = Map.of(
            "generator", "timer://customer-events", "merge", "direct://merge-batch",
            "delivery", "direct://deliver-to-analytics", "ingest", "direct://analytics-ingest");

    @TempDir
    java.nio.file.Path data;

    @BeforeEach
    void exportToMemory() {
        System.setProperty("otel.traces.exporter", "memory");
        // the batch span processor hands spans over every 100 ms instead of 5 s
        System.setProperty("otel.bsp.schedule.delay", "100");
        MemorySpanExporterProvider.SPANS.reset();
    }

    @AfterEach
    void clear() {
        System.clearProperty("otel.traces.exporter");
        System.clearProperty("otel.bsp.schedule.delay");
    }

    @Test
    void anEventIdFindsTheSpansOfItsProducerMergeDeliveryAndIngestAcrossKafkaAndHttp() throws Exception {
        Map<String, String> run = Map.of("tracing.enabled", "true",
                "generator.customers.limit", "300", "generator.customers.rate-per-second", "0",
                "generator.inventory.limit", "100", "generator.inventory.rate-per-second", "0", "generator.products", "50");
        try (RunningBundle bundle = RunningBundle.start(data, run)) {
            DataSource store = bundle.context().getRegistry().lookupByNameAndType("analyticsStore", AnalyticsStore.class).dataSource();
            RunningBundle.await("300 stored", Duration.ofSeconds(60),
                    () -> StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records") == 300);
            List<String> sample = new ArrayList<>(StoreProbe.eventIds(store));
            Collections.shuffle(sample);
            List<String> ids = sample.subList(0, 10);
            // a hop's span ends when its exchange is done (the merge's after the commit): wait for each
            try {
                RunningBundle.await("a span of every hop for each sampled event", Duration.ofSeconds(30),
                        () -> ids.stream().allMatch(id -> HOPS.values().stream().allMatch(uri -> hop(id, uri).isPresent())));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; missing: " + ids.stream().flatMap(id -> HOPS.entrySet().stream()
                        .filter(h -> hop(id, h.getValue()).isEmpty()).map(h -> id + " " + h.getKey())).toList()
                        + "; spans naming events: " + spans().stream().filter(s -> s.getAttributes().get(TraceEvents.EVENT_IDS) != null)
                        .map(s -> s.getAttributes().get(URI) + " " + s.getAttributes().get(TraceEvents.RECORDS)).toList());
            }

            for (String id : ids) {
                SpanData merge = hop(id, HOPS.get("merge")).orElseThrow();
                SpanData delivery = hop(id, HOPS.get("delivery")).orElseThrow();
                SpanData ingest = hop(id, HOPS.get("ingest")).orElseThrow();
                // one trace from the merge through the HTTP POST (traceparent header) to the API's ingest
                assertEquals(merge.getTraceId(), delivery.getTraceId(), id + ": the delivery is in the merge's trace");
                assertEquals(delivery.getTraceId(), ingest.getTraceId(), id + ": the ingest continues the POST's trace");
                // and that trace began at the generator: the poll's records carried traceparent through Kafka
                assertTrue(spans().stream().anyMatch(s -> s.getTraceId().equals(merge.getTraceId())
                                && HOPS.get("generator").equals(endpoint(s))),
                        id + ": the merge's trace starts at a generator tick, across Kafka");
            }
        }
        Set<String> consumerParents = spans().stream().filter(s -> endpoint(s).startsWith("kafka-poll://customer-data,"))
                .map(SpanData::getParentSpanId).collect(Collectors.toSet());
        long continued = spans().stream().filter(s -> endpoint(s).equals("kafka://customer-data"))
                .filter(s -> consumerParents.contains(s.getSpanId())).count();
        assertTrue(continued > 0, "consumer spans are children of the generator's producer spans");
    }

    /** The span of a hop (by its endpoint) that names the event. */
    private static Optional<SpanData> hop(String eventId, String uri) {
        return spans().stream().filter(s -> uri.equals(endpoint(s)))
                .filter(s -> s.getAttributes().get(TraceEvents.EVENT_IDS) != null
                        && s.getAttributes().get(TraceEvents.EVENT_IDS).contains(eventId))
                .findFirst();
    }

    /** The span's endpoint URI without its query (camel.uri holds the options). */
    private static String endpoint(SpanData span) {
        String uri = String.valueOf(span.getAttributes().get(URI));
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private static List<SpanData> spans() {
        return MemorySpanExporterProvider.SPANS.getFinishedSpanItems();
    }
}
