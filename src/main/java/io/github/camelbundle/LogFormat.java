package io.github.camelbundle;

import java.util.Set;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;

/**
 * {@code log.format}: log4j2.properties picks its console layout from the same setting; with {@code json}
 * Camel also puts the route and exchange ids in the MDC (camel.main.useMdcLogging), which the JSON lines
 * carry. Off with the readable line: MDC logging costs map updates on every exchange.
 */
public class LogFormat extends MainListenerSupport {

    static final String KEY = "log.format";
    private static final String MDC_LOGGING = "camel.main.useMdcLogging";
    private static final Set<String> FORMATS = Set.of("text", "json");

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent pc = main.getCamelContext().getPropertiesComponent();
        String format = pc.resolveProperty(KEY).orElse("text").trim();
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException(KEY + " (LOG_FORMAT) must be one of " + FORMATS + ", was '" + format + "'");
        }
        if (format.equals("json") && pc.resolveProperty(MDC_LOGGING).isEmpty()) {
            pc.addOverrideProperty(MDC_LOGGING, "true");
        }
    }
}
