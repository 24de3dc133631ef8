package io.github.camelbundle.monitor;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.Map;
import org.apache.logging.log4j.core.util.ContextDataProvider;

/**
 * Adds the current span's {@code trace_id} and {@code span_id} to every log event (log4j finds it through
 * META-INF/services), so a JSON log line logged under a span carries its trace. OpenTelemetry's own
 * log4j provider does the same but calls GlobalOpenTelemetry while log4j starts, which logs through
 * java.util.logging, which log4j then has to handle before it has started.
 */
public class TraceContextData implements ContextDataProvider {

    @Override
    public Map<String, String> supplyContextData() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? Map.of("trace_id", span.getTraceId(), "span_id", span.getSpanId()) : Map.of();
    }
}
