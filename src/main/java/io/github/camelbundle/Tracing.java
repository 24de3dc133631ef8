package io.github.camelbundle;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tracing.enabled}: an OpenTelemetry SDK exporting spans over OTLP, handed to Camel's
 * camel-opentelemetry2 tracer, which spans every route and endpoint and carries W3C traceparent in Kafka
 * and HTTP headers. Runs before Camel Main configures its tracer, which takes the SDK's Tracer and
 * propagators from the registry. The standard otel.* system properties and OTEL_* environment
 * variables win over the tracing.* keys (those are the SDK's defaults here).
 */
public class Tracing extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        PropertiesComponent pc = context.getPropertiesComponent();
        if (!Boolean.parseBoolean(pc.resolveProperty("tracing.enabled").orElse("false").trim())) {
            return;
        }
        String ratio = pc.resolveProperty("tracing.sample-ratio").orElse("1.0").trim();
        // the SDK warns about a ratio sampler at 1.0; always-on is the same decision
        String sampler = Double.parseDouble(ratio) >= 1.0 ? "parentbased_always_on" : "parentbased_traceidratio";
        Map<String, String> defaults = Map.of(
                "otel.service.name", pc.resolveProperty("camel.main.name").orElse("customer-inventory-bundle"),
                "otel.exporter.otlp.endpoint", pc.resolveProperty("tracing.otlp-endpoint").orElseThrow(),
                "otel.exporter.otlp.protocol", "http/protobuf",
                // a trace started upstream keeps its sampling decision; new traces are kept at this ratio
                "otel.traces.sampler", sampler,
                "otel.traces.sampler.arg", ratio,
                // metrics stay on /observe/metrics (Micrometer), logs on the console
                "otel.metrics.exporter", "none",
                "otel.logs.exporter", "none");
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder().addPropertiesSupplier(() -> defaults)
                .build().getOpenTelemetrySdk();
        context.getRegistry().bind("openTelemetryTracer", sdk.getTracer("camel"));
        context.getRegistry().bind("openTelemetryPropagators", sdk.getPropagators());
        // flushes the spans still batched when the bundle stops
        try {
            context.addService(new Closing(sdk), true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the tracing SDK's shutdown", e);
        }
        pc.addOverrideProperty("camel.opentelemetry2.enabled", "true");
        LOG.info("Tracing on: spans to {} (OTLP), sample ratio {}", defaults.get("otel.exporter.otlp.endpoint"),
                defaults.get("otel.traces.sampler.arg"));
    }
}
