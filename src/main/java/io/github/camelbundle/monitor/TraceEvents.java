package io.github.camelbundle.monitor;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Puts the event ids a hop handled on the span Camel's tracer made current for it (tracing.enabled).
 * Every hop works on a batch, so one event's path is found by its id on each hop's span, not by one
 * trace per event. Does nothing, and allocates nothing, while no span is recording.
 */
public final class TraceEvents {

    public static final AttributeKey<List<String>> EVENT_IDS = AttributeKey.stringArrayKey("bundle.event_ids");
    public static final AttributeKey<Long> RECORDS = AttributeKey.longKey("bundle.records");

    private TraceEvents() {
    }

    /** Whether a span is recording here: lets a caller skip collecting ids nobody will read. */
    public static boolean recording() {
        return Span.current().isRecording();
    }

    public static <T> void tag(Collection<T> items, Function<T, String> eventId) {
        Span span = Span.current();
        if (!span.isRecording() || items.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(items.size());
        for (T item : items) {
            ids.add(eventId.apply(item));
        }
        span.setAttribute(EVENT_IDS, ids);
        span.setAttribute(RECORDS, (long) ids.size());
    }
}
