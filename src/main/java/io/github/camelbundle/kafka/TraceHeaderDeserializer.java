package io.github.camelbundle.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.camel.component.kafka.serde.KafkaHeaderDeserializer;

/**
 * Kafka record headers reach Camel as byte[], and Camel's tracer (camel-telemetry 4.18) reads only String
 * headers when it continues a trace: the W3C trace headers become Strings, every other header stays bytes.
 */
public class TraceHeaderDeserializer implements KafkaHeaderDeserializer {

    private static final Set<String> TRACE_HEADERS = Set.of("traceparent", "tracestate", "baggage");

    @Override
    public Object deserialize(String key, byte[] value) {
        return value != null && TRACE_HEADERS.contains(key) ? new String(value, StandardCharsets.UTF_8) : value;
    }
}
