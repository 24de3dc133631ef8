package io.github.camelbundle;

import io.github.camelbundle.analytics.AnalyticsIngest;
import io.github.camelbundle.analytics.AnalyticsQueries;
import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.analytics.AnalyticsSummary;
import io.github.camelbundle.analytics.ApiKeyGuard;
import io.github.camelbundle.analytics.StoreDataSource;
import io.github.camelbundle.delivery.DeliveryAcknowledgement;
import io.github.camelbundle.delivery.DeliveryBatches;
import io.github.camelbundle.dlq.DeadLetterAdmin;
import io.github.camelbundle.dlq.DeadLetterReplayer;
import io.github.camelbundle.dlq.DeadLetterReport;
import io.github.camelbundle.delivery.DeliveryControl;
import io.github.camelbundle.delivery.DeliveryStatus;
import io.github.camelbundle.delivery.RetryAfterAdvisor;
import io.github.camelbundle.health.DeliveryHealthCheck;
import io.github.camelbundle.generator.CustomerEventGenerator;
import io.github.camelbundle.generator.InventoryGenerator;
import io.github.camelbundle.generator.ProductCatalog;
import io.github.camelbundle.kafka.EmbeddedKafkaBroker;
import io.github.camelbundle.kafka.KafkaObserver;
import io.github.camelbundle.kafka.MeteredKafkaClientFactory;
import io.github.camelbundle.health.PipelineHealthChecks;
import io.github.camelbundle.kafka.TopicInitializer;
import io.github.camelbundle.kafka.TopicInitializer.TopicSpec;
import io.github.camelbundle.merge.CustomerInventoryJoin;
import io.github.camelbundle.merge.DeadLetterMessages;
import io.github.camelbundle.merge.IncomingRecordParser;
import io.github.camelbundle.merge.InventoryTable;
import io.github.camelbundle.merge.OffsetCommitter;
import io.github.camelbundle.merge.ParkedEventExpiry;
import io.github.camelbundle.merge.ParkedEvents;
import io.github.camelbundle.model.Json;
import io.github.camelbundle.monitor.MonitorLine;
import io.github.camelbundle.monitor.PipelineMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the bundle before any route starts: the embedded broker (when enabled), the topics, the API
 * key, and the beans the YAML routes call by name. Every value comes from application.properties.
 */
public class BundleConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(BundleConfiguration.class);

    private CamelContext context;

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        this.context = camelContext;
        startEmbeddedBroker();
        ensureTopics();
        ensureApiKey();

        Registry registry = camelContext.getRegistry();
        PipelineMetrics metrics = new PipelineMetrics(meterRegistry(registry));
        metrics.declare(text("topic.customers"), text("topic.inventory"));
        registry.bind("pipelineMetrics", metrics);
        // every Kafka client of the routes reports its own metrics (lag, rates) to /observe/metrics
        MeteredKafkaClientFactory kafkaClients = new MeteredKafkaClientFactory(metrics.registry());
        registry.bind("meteredKafkaClientFactory", kafkaClients);
        KafkaObserver kafka = new KafkaObserver(text("kafka.brokers"), text("topic.dlq"), text("topic.customers"),
                text("merge.group-id"));
        camelContext.addService(new Closing("kafka-observer", kafka), true, true);
        registry.bind("kafkaObserver", kafka);
        metrics.kafkaGauges(kafka::dlqDepth, kafka::customerLag, text("topic.customers"));
        HealthCheckRegistry health = HealthCheckRegistry.get(camelContext);
        health.register(PipelineHealthChecks.broker(kafka, text("kafka.brokers")));
        health.register(PipelineHealthChecks.mergeConsumerAssigned(kafkaClients, text("merge.group-id")));
        registry.bind("jsonMapper", Json.MAPPER);

        // generators
        ProductCatalog catalog = new ProductCatalog(integer("generator.products"), longValue("generator.seed"));
        registry.bind("customerEventGenerator", new CustomerEventGenerator(catalog,
                decimal("generator.customers.rate-per-second"), integer("generator.max-per-tick"),
                longValue("generator.customers.limit"), integer("generator.customers.count")));
        registry.bind("inventoryGenerator", new InventoryGenerator(catalog,
                decimal("generator.inventory.rate-per-second"), integer("generator.max-per-tick"),
                longValue("generator.inventory.limit")));

        // merge
        String customerTopic = text("topic.customers");
        ParkedEvents parked = new ParkedEvents(duration("merge.max-wait"));
        registry.bind("incomingRecordParser", new IncomingRecordParser(customerTopic, text("topic.inventory"),
                integer("merge.max-record-bytes"), metrics));
        registry.bind("customerInventoryJoin", new CustomerInventoryJoin(new InventoryTable(), parked, metrics));
        registry.bind("parkedEventExpiry", new ParkedEventExpiry(parked));
        registry.bind("offsetCommitter", new OffsetCommitter(customerTopic, parked,
                Duration.ofMillis(longValue("merge.commit-timeout-ms"))));
        registry.bind("deadLetterMessages", new DeadLetterMessages(metrics));
        registry.bind("deadLetterAdmin", new DeadLetterAdmin(new DeadLetterReport(text("kafka.brokers"), text("topic.dlq")),
                new DeadLetterReplayer(text("kafka.brokers"), text("topic.dlq"), text("topic.dlq-parked"),
                        integer("delivery.max-replays"))));

        // delivery
        registry.bind("deliveryBatches", new DeliveryBatches(integer("delivery.batch-size")));
        registry.bind("deliveryAcknowledgement", new DeliveryAcknowledgement(metrics));
        registry.bind("deliveryPool", camelContext.getExecutorServiceManager()
                .newFixedThreadPool(this, "delivery", integer("delivery.concurrency")));
        DeliveryControl deliveryControl = new DeliveryControl(camelContext, "kafka-to-merge",
                integer("delivery.circuit.failure-threshold"), duration("delivery.circuit.open-duration"));
        registry.bind("deliveryControl", deliveryControl);
        registry.bind("deliveryCircuitBreaker", deliveryControl.circuitBreaker());
        metrics.circuitStateGauge(deliveryControl::circuitState);
        registry.bind("deliveryStatus", new DeliveryStatus());
        RetryAfterAdvisor retryAfter = new RetryAfterAdvisor(longValue("delivery.max-delay-ms"), metrics);
        registry.bind("retryAfterAdvice", (Processor) retryAfter::advise);
        registry.bind("retryCounter", (Processor) retryAfter::retrying);
        health.register(new DeliveryHealthCheck(deliveryControl));

        // analytics API and store
        var dataSource = StoreDataSource.create(text("analytics.datasource.url"),
                text("analytics.datasource.username"), optional("analytics.datasource.password"),
                integer("analytics.datasource.pool-size"));
        camelContext.addService(new Closing("analytics-store", dataSource), true, true);
        AnalyticsStore store = new AnalyticsStore(dataSource);
        health.register(PipelineHealthChecks.database(dataSource, text("analytics.datasource.url")));
        registry.bind("analyticsStore", store);
        registry.bind("apiKeyGuard", new ApiKeyGuard(text("analytics.api-key")));
        registry.bind("analyticsIngest", new AnalyticsIngest(store, metrics, longValue("analytics.max-body-bytes"),
                integer("analytics.max-batch")));
        registry.bind("analyticsQueries", new AnalyticsQueries(store,
                new AnalyticsSummary(dataSource, integer("analytics.low-stock-threshold")),
                integer("analytics.max-page-size")));

        registry.bind("monitorLine", new MonitorLine(metrics, deliveryControl, kafka,
                longValue("generator.customers.limit")));
    }

    /** Starts the in-process broker first, so that every Kafka endpoint finds it, and stops it last. */
    private void startEmbeddedBroker() throws Exception {
        if (!Boolean.parseBoolean(text("kafka.embedded.enabled"))) {
            return;
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(Path.of(text("kafka.embedded.data-dir")),
                integer("kafka.embedded.port")).start();
        override("kafka.brokers", broker.bootstrapServers());
        context.getRegistry().bind("embeddedKafkaBroker", broker);
        context.addService(new Closing("embedded-kafka", broker), true, true);
    }

    private void ensureTopics() throws Exception {
        int partitions = integer("topic.partitions");
        Duration retention = Duration.ofHours(longValue("topic.retention-hours"));
        Duration dlqRetention = Duration.ofHours(longValue("topic.dlq-retention-hours"));
        String brokers = text("kafka.brokers");
        TopicInitializer.ensure(brokers, List.of(
                new TopicSpec(text("topic.customers"), partitions, retention),
                new TopicSpec(text("topic.inventory"), partitions, retention),
                new TopicSpec(text("topic.dlq"), partitions, dlqRetention),
                new TopicSpec(text("topic.dlq-parked"), 1, dlqRetention)), Duration.ofSeconds(60));
        TopicInitializer.checkCoPartitioned(brokers, text("topic.customers"), text("topic.inventory"));
    }

    /** The contract: ANALYTICS_API_KEY or analytics.api-key, else one generated now and logged once. */
    private void ensureApiKey() {
        if (!optional("analytics.api-key").isBlank()) {
            return;
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        override("analytics.api-key", key);
        LOG.warn("No ANALYTICS_API_KEY set: generated API key for this run: {}", key);
    }

    private static MeterRegistry meterRegistry(Registry registry) {
        MeterRegistry existing = registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (existing != null) {
            return existing;
        }
        PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, created);
        return created;
    }

    private void override(String key, String value) {
        context.getPropertiesComponent().addOverrideProperty(key, value);
    }

    private String optional(String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse("");
    }

    private String text(String key) {
        return context.getPropertiesComponent().resolveProperty(key)
                .orElseThrow(() -> new IllegalArgumentException("missing configuration key " + key));
    }

    private int integer(String key) {
        return Integer.parseInt(text(key).trim());
    }

    private long longValue(String key) {
        return Long.parseLong(text(key).trim());
    }

    private double decimal(String key) {
        return Double.parseDouble(text(key).trim());
    }

    private Duration duration(String key) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(text(key).trim()));
    }

    /** Closes a resource when the Camel context stops, after the routes have stopped. */
    private static final class Closing extends ServiceSupport {
        private final String name;
        private final AutoCloseable resource;

        Closing(String name, AutoCloseable resource) {
            this.name = name;
            this.resource = resource;
        }

        @Override
        protected void doStop() throws Exception {
            LOG.debug("Closing {}", name);
            resource.close();
        }
    }
}
