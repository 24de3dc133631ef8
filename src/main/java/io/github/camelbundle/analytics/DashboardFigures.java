package io.github.camelbundle.analytics;

import java.util.List;

/**
 * The series of the Prometheus text the dashboard page shows, and nothing else: GET /dashboard/metrics
 * may be open on the business port, while the management port's text also names hosts, JVM and thread
 * details and client ids. Hand-written: no Camel or Micrometer step filters exposition text by name.
 */
public class DashboardFigures {

    /** The metric name prefixes index.html reads (its readMetrics function). */
    static final List<String> PREFIXES = List.of("integration_", "kafka_consumer_fetch_manager_records_lag");

    public String keep(String prometheusText) {
        StringBuilder kept = new StringBuilder(prometheusText.length() / 4);
        for (String line : prometheusText.split("\n")) {
            if (shown(line)) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }

    private static boolean shown(String line) {
        String name = line;
        if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
            name = line.substring(7);
        } else if (line.startsWith("#")) {
            return false;
        }
        for (String prefix : PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
