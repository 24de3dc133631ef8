package io.github.camelbundle;

import io.github.camelbundle.analytics.AnalyticsIngest;
import io.github.camelbundle.analytics.AnalyticsQueries;
import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.analytics.AnalyticsSummary;
import io.github.camelbundle.analytics.StoreDataSource;
import io.github.camelbundle.analytics.SummaryFolder;
import io.github.camelbundle.health.PipelineHealthChecks;
import io.github.camelbundle.monitor.PipelineMetrics;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;

/** The beans of the analytics role: the store (migrated at start-up) and the API handlers. */
final class AnalyticsWiring {

    private AnalyticsWiring() {
    }

    static void bind(CamelContext context, Settings s, PipelineMetrics metrics) throws Exception {
        Registry registry = context.getRegistry();
        String url = s.text("analytics.datasource.url");
        var dataSource = StoreDataSource.create(url, s.text("analytics.datasource.username"),
                s.optional("analytics.datasource.password"), s.integer("analytics.datasource.pool-size"));
        context.addService(new Closing(dataSource), true, true);
        HealthCheckRegistry.get(context).register(PipelineHealthChecks.database(dataSource, url));
        AnalyticsStore store = new AnalyticsStore(dataSource, s.flag("analytics.store.sync-each-commit"));
        registry.bind("analyticsStore", store);
        registry.bind("analyticsIngest", new AnalyticsIngest(store, metrics, s.longValue("analytics.max-body-bytes"),
                s.integer("analytics.max-batch")));
        registry.bind("analyticsQueries", new AnalyticsQueries(store,
                new AnalyticsSummary(dataSource, s.integer("analytics.low-stock-threshold")),
                s.integer("analytics.max-page-size")));
        registry.bind("summaryFolder", new SummaryFolder(dataSource, s.integer("analytics.summary.max-deltas-per-fold")));
    }
}
