package io.github.camelbundle;

import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.util.TimeUtils;

/** Typed reads of application.properties (with -D and environment overrides) for the wiring code. */
final class Settings {

    private final CamelContext context;

    Settings(CamelContext context) {
        this.context = context;
    }

    String text(String key) {
        return context.getPropertiesComponent().resolveProperty(key)
                .orElseThrow(() -> new IllegalArgumentException("missing configuration key " + key));
    }

    String optional(String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse("");
    }

    boolean flag(String key) {
        return Boolean.parseBoolean(text(key).trim());
    }

    int integer(String key) {
        return Integer.parseInt(text(key).trim());
    }

    long longValue(String key) {
        return Long.parseLong(text(key).trim());
    }

    double decimal(String key) {
        return Double.parseDouble(text(key).trim());
    }

    Duration duration(String key) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(text(key).trim()));
    }

    /** Makes {@code key} resolve to {@code value} from now on, over every other source. */
    void override(String key, String value) {
        context.getPropertiesComponent().addOverrideProperty(key, value);
    }
}
