package io.github.camelbundle.kafka;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How the Kafka clients the bundle builds by hand (admin, observer, DLQ report and replay,
 * reconciliation) reach the cluster: the bootstrap servers, security protocol, SASL and TLS settings
 * of the routes' own endpoints, read from the same {@code camel.component.kafka.*} keys and turned into
 * client properties by camel-kafka itself, so a TLS or SCRAM cluster is configured once for everything.
 */
public final class KafkaConnection {

    private static final String PREFIX = "camel.component.kafka.";

    private final Map<String, Object> settings;

    private KafkaConnection(Map<String, Object> settings) {
        this.settings = Collections.unmodifiableMap(settings);
    }

    /**
     * Read from the context's properties now (not from the component, which camel-main configures only
     * after the configuration classes ran, while topics must exist before any route starts).
     */
    public static KafkaConnection of(CamelContext context) {
        PropertiesComponent pc = context.getPropertiesComponent();
        Map<String, Object> options = new LinkedHashMap<>();
        for (String key : pc.loadProperties(k -> k.startsWith(PREFIX)).stringPropertyNames()) {
            pc.resolveProperty(key).ifPresent(value -> options.put(key.substring(PREFIX.length()), value));
        }
        KafkaConfiguration configuration = new KafkaConfiguration();
        // component-level options (kafkaClientFactory, ...) are not on the configuration: left unbound
        PropertyBindingSupport.build().withCamelContext(context).withTarget(configuration).withProperties(options)
                .withIgnoreCase(true).withMandatory(false).withRemoveParameters(true).bind();
        if (configuration.getBrokers() == null || configuration.getBrokers().isBlank()) {
            throw new IllegalArgumentException("camel.component.kafka.brokers is not set: the bundle needs the Kafka "
                    + "bootstrap servers (kafka.brokers / KAFKA_BROKERS)");
        }
        return new KafkaConnection(connectionSettings(configuration));
    }

    /** A cluster reached without authentication (tests, the bench's own clients). */
    public static KafkaConnection plaintext(String bootstrapServers) {
        return new KafkaConnection(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Only what says where the cluster is and how to authenticate: each client adds its own tuning. */
    private static Map<String, Object> connectionSettings(KafkaConfiguration configuration) {
        Map<String, Object> out = new LinkedHashMap<>();
        configuration.createConsumerProperties().forEach((k, v) -> {
            String key = k.toString();
            if (key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                out.put(key, v);
            }
        });
        out.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, configuration.getBrokers());
        return out;
    }

    /** A fresh copy of the connection settings, for one client to add its own to. */
    public Properties properties() {
        Properties props = new Properties();
        props.putAll(settings);
        return props;
    }

    public String bootstrapServers() {
        return (String) settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    @Override
    public String toString() {
        // never the SASL or TLS secrets
        return "KafkaConnection[" + bootstrapServers() + ", "
                + settings.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT") + "]";
    }
}
