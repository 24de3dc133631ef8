package io.github.camelbundle;

import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.analytics.ApiKeyGuard;
import io.github.camelbundle.dlq.Reconciliation;
import io.github.camelbundle.dlq.StoredIdsOverHttp;
import io.github.camelbundle.merge.WaitStore;
import io.github.camelbundle.analytics.MultipartRefusal;
import io.github.camelbundle.delivery.DeliveryControl;
import io.github.camelbundle.health.PipelineHealthChecks;
import io.github.camelbundle.kafka.EmbeddedKafkaBroker;
import io.github.camelbundle.kafka.KafkaConnection;
import io.github.camelbundle.kafka.KafkaObserver;
import io.github.camelbundle.kafka.MeteredKafkaClientFactory;
import io.github.camelbundle.kafka.TopicInitializer;
import io.github.camelbundle.kafka.TopicInitializer.TopicSpec;
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
import java.util.Set;
import java.util.function.Supplier;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.RoutePolicyFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the bundle before any route starts: the embedded broker (when enabled), the topics, the API
 * key, and the beans the YAML routes of this process's roles ({@code bundle.roles}) call by name.
 * Every value comes from application.properties.
 */
public class BundleConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(BundleConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings s = new Settings(context);
        BundleRoles roles = BundleRoles.of(s.optional("bundle.roles"));
        boolean usesKafka = roles.runs(BundleRoles.GENERATORS) || roles.runs(BundleRoles.PIPELINE);
        if (usesKafka && s.flag("kafka.embedded.enabled")) {
            startEmbeddedBroker(context, s);
        }
        KafkaConnection kafkaConnection = usesKafka ? KafkaConnection.of(context) : null;
        if (usesKafka) {
            ensureTopics(s, kafkaConnection);
        }
        ensureApiKey(s, roles);
        leaveOutOfRouteTimers(context, s.optional("metrics.untimed-routes"));

        Registry registry = context.getRegistry();
        registry.bind("jsonMapper", Json.MAPPER);
        PipelineMetrics metrics = new PipelineMetrics(meterRegistry(registry));
        metrics.declare(s.text("topic.customers"), s.text("topic.inventory"));
        registry.bind("pipelineMetrics", metrics);

        // every Kafka client of the routes reports its own metrics (lag, rates) to /observe/metrics;
        // bound in every role, as application.properties names it for the kafka component
        MeteredKafkaClientFactory kafkaClients = new MeteredKafkaClientFactory(metrics.registry(), s.text("topic.inventory"));
        registry.bind("meteredKafkaClientFactory", kafkaClients);
        KafkaObserver kafka = null;
        DeliveryControl delivery = null;
        if (usesKafka) {
            kafka = new KafkaObserver(kafkaConnection, s.text("topic.dlq"), s.text("topic.customers"),
                    s.text("merge.group-id"));
            context.addService(new Closing(kafka), true, true);
            registry.bind("kafkaObserver", kafka);
            metrics.kafkaGauges(kafka::dlqDepth, kafka::customerLag, s.text("topic.customers"));
            HealthCheckRegistry.get(context).register(PipelineHealthChecks.broker(kafka, s.text("kafka.brokers")));
            if (roles.runs(BundleRoles.PIPELINE)) {
                delivery = PipelineWiring.bind(context, s, metrics, kafkaClients, kafka, kafkaConnection);
            }
        }
        if (roles.runs(BundleRoles.ANALYTICS)) {
            AnalyticsWiring.bind(context, s, metrics);
        }
        if (roles.runs(BundleRoles.PIPELINE)) {
            AnalyticsStore local = registry.lookupByNameAndType("analyticsStore", AnalyticsStore.class);
            Reconciliation.StoredIds stored = local != null ? sink -> {
                local.eventIds().forEach(sink);
                return local.count();
            } : new StoredIdsOverHttp(s.text("reconciliation.analytics-url"), s.text("analytics.api-key"));
            WaitStore waiting = registry.lookupByNameAndType("waitStore", WaitStore.class);
            Supplier<Set<String>> parked = waiting::eventIds;
            registry.bind("reconciliation", new Reconciliation(kafkaConnection, s.text("topic.customers"),
                    s.text("topic.inventory"), s.text("topic.dlq"), stored, parked, kafka));
        }
        if (roles.runs(BundleRoles.PIPELINE) || roles.runs(BundleRoles.ANALYTICS)) {
            registry.bind("apiKeyGuard", new ApiKeyGuard(s.text("analytics.api-key")));
            context.addStartupListener(new MultipartRefusal());
        }
        registry.bind("monitorLine", new MonitorLine(metrics, delivery, kafka, s.longValue("generator.customers.limit")));
    }

    /** Starts the in-process broker first, so that every Kafka endpoint finds it, and stops it last. */
    private static void startEmbeddedBroker(CamelContext context, Settings s) throws Exception {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(Path.of(s.text("kafka.embedded.data-dir")),
                s.integer("kafka.embedded.port")).start();
        s.override("kafka.brokers", broker.bootstrapServers());
        context.getRegistry().bind("embeddedKafkaBroker", broker);
        context.addService(new Closing(broker), true, true);
    }

    private static void ensureTopics(Settings s, KafkaConnection kafka) throws Exception {
        int partitions = s.integer("topic.partitions");
        Duration retention = Duration.ofHours(s.longValue("topic.retention-hours"));
        Duration dlqRetention = Duration.ofHours(s.longValue("topic.dlq-retention-hours"));
        TopicInitializer.ensure(kafka, List.of(
                new TopicSpec(s.text("topic.customers"), partitions, retention),
                new TopicSpec(s.text("topic.inventory"), partitions, retention, true),
                new TopicSpec(s.text("topic.dlq"), partitions, dlqRetention),
                new TopicSpec(s.text("topic.dlq-parked"), 1, dlqRetention)), Duration.ofSeconds(60));
        TopicInitializer.checkCoPartitioned(kafka, s.text("topic.customers"), s.text("topic.inventory"));
    }

    /**
     * Camel's route timers (camel-micrometer's route policy) skip these routes. camel-main does not expose
     * the policy's exclude pattern, so it is set on the factory camel-main registered (before any route
     * exists: the pattern is read as each route starts).
     */
    private static void leaveOutOfRouteTimers(CamelContext context, String routeIds) {
        // the policy splits the pattern on commas and does not trim
        String pattern = routeIds.replace(" ", "");
        if (pattern.isEmpty()) {
            return;
        }
        boolean set = false;
        for (RoutePolicyFactory factory : context.getRoutePolicyFactories()) {
            if (factory instanceof MicrometerRoutePolicyFactory micrometer) {
                micrometer.getPolicyConfiguration().setExcludePattern(pattern);
                set = true;
            }
        }
        if (!set) {
            LOG.warn("metrics.untimed-routes={} has no effect: no Micrometer route policy is registered (yet); "
                    + "those routes are timed as any other", pattern);
        }
    }

    /**
     * The contract: ANALYTICS_API_KEY or analytics.api-key; else the key in analytics.api-key-file, made
     * (owner-only) with a new random key when missing. The log names the file and the key's first
     * characters only: logs are read and shipped more widely than a file in data/.
     */
    private static void ensureApiKey(Settings s, BundleRoles roles) throws java.io.IOException {
        if (!s.optional("analytics.api-key").isBlank()) {
            return;
        }
        Path file = Path.of(s.text("analytics.api-key-file"));
        String key = java.nio.file.Files.isRegularFile(file) ? java.nio.file.Files.readString(file).trim() : "";
        if (key.isEmpty()) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            writeOwnerOnly(file, key);
        }
        s.override("analytics.api-key", key);
        LOG.warn("No ANALYTICS_API_KEY set: using the API key in {} ({}...); set ANALYTICS_API_KEY to choose one",
                file.toAbsolutePath(), key.substring(0, 4));
        if (roles.active().size() < 3) {
            LOG.warn("Roles {} run in separate processes: set the same ANALYTICS_API_KEY in each, or delivery is "
                    + "refused with 401", roles.active());
        }
    }

    /** Created with rw------- where the file system has POSIX permissions, before the key is written. */
    private static void writeOwnerOnly(Path file, String key) throws java.io.IOException {
        Path dir = file.toAbsolutePath().getParent();
        java.nio.file.Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        java.nio.file.Files.deleteIfExists(tmp);
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            java.nio.file.Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } else {
            java.nio.file.Files.createFile(tmp);
        }
        java.nio.file.Files.writeString(tmp, key + "\n");
        java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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
}
