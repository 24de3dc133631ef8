package io.github.camelbundle.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bundle's log4j2.properties (not the tests' one): log.format picks the console layout. */
class LogLayoutTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void noFormatFromTheShell() {
        assumeTrue(System.getenv("LOG_FORMAT") == null, "LOG_FORMAT is set in this environment");
    }

    @AfterEach
    void clearFormat() {
        System.clearProperty("log.format");
    }

    @Test
    void theReadableLineStaysTheDefault() throws Exception {
        Appender appender = rootAppender();
        assertEquals("text", appender.getName());
        assertInstanceOf(PatternLayout.class, appender.getLayout());
    }

    @Test
    void jsonFormatWritesOneParseableObjectPerLineWithRouteExchangeTraceAndEventIds() throws Exception {
        System.setProperty("log.format", "json");
        Appender appender = rootAppender();
        JsonTemplateLayout layout = assertInstanceOf(JsonTemplateLayout.class, appender.getLayout());

        SortedArrayStringMap mdc = new SortedArrayStringMap();
        Map.of("camel.routeId", "merge-poll", "camel.exchangeId", "ABC-000001", "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736",
                "span_id", "00f067aa0ba902b7", "eventId", "evt-42").forEach(mdc::putValue);
        String line = layout.toSerializable(Log4jLogEvent.newBuilder().setLoggerName("merge").setLevel(Level.WARN)
                .setMessage(new SimpleMessage("Batch not completed,\n\"read again\""))
                .setThrown(new IllegalStateException("broker gone")).setContextData(mdc).build());
        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line per event, even with a stack trace: " + line);
        JsonNode event = JSON.readTree(line);
        assertEquals("merge-poll", event.path("routeId").asText());
        assertEquals("ABC-000001", event.path("exchangeId").asText());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", event.path("traceId").asText());
        assertEquals("00f067aa0ba902b7", event.path("spanId").asText());
        assertEquals("evt-42", event.path("eventId").asText());
        assertEquals("WARN", event.path("level").asText());
        assertEquals("merge", event.path("logger").asText());
        assertEquals("Batch not completed,\n\"read again\"", event.path("message").asText());
        assertEquals("java.lang.IllegalStateException", event.at("/error/type").asText());
        assertTrue(event.at("/error/stackTrace").asText().contains("LogLayoutTest"), "the stack trace, as one string");
        assertTrue(event.path("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), event.toString());

        // a line outside any exchange has no ids, rather than empty ones
        JsonNode plain = JSON.readTree(layout.toSerializable(Log4jLogEvent.newBuilder().setLoggerName("App")
                .setLevel(Level.INFO).setMessage(new SimpleMessage("started")).build()));
        assertFalse(plain.has("routeId") || plain.has("eventId") || plain.has("error"), plain.toString());
    }

    @Test
    void theCurrentSpansTraceIdReachesEveryLogEventsContext() {
        // what log4j does for each event: the context data providers on the classpath add their keys
        try (var sdk = io.opentelemetry.sdk.OpenTelemetrySdk.builder()
                .setTracerProvider(io.opentelemetry.sdk.trace.SdkTracerProvider.builder().build()).build()) {
            io.opentelemetry.api.trace.Span span = sdk.getTracer("test").spanBuilder("poll").startSpan();
            org.apache.logging.log4j.util.StringMap context;
            try (var scope = span.makeCurrent()) {
                context = org.apache.logging.log4j.core.impl.ContextDataInjectorFactory.createInjector()
                        .injectContextData(null, new SortedArrayStringMap());
            } finally {
                span.end();
            }
            assertEquals(span.getSpanContext().getTraceId(), context.getValue("trace_id"));
            assertEquals(span.getSpanContext().getSpanId(), context.getValue("span_id"));
        }
        var none = org.apache.logging.log4j.core.impl.ContextDataInjectorFactory.createInjector()
                .injectContextData(null, new SortedArrayStringMap());
        assertFalse(none.containsKey("trace_id"), "no span, no trace id");
    }

    /** The appender the root logger writes to, from the main log4j2.properties as a fresh configuration. */
    private static Appender rootAppender() throws Exception {
        ConfigurationSource source = ConfigurationSource.fromResource("log4j2.properties", LogLayoutTest.class.getClassLoader());
        Configuration config = new PropertiesConfigurationFactory().getConfiguration(new LoggerContext("layout-test"), source);
        config.initialize();
        Map<String, Appender> appenders = config.getRootLogger().getAppenders();
        assertEquals(1, appenders.size(), "the root logger writes to one console appender: " + appenders.keySet());
        return appenders.values().iterator().next();
    }
}
