package io.github.camelbundle.kafka;

import io.github.camelbundle.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker (KRaft, combined broker and controller, one node) in this JVM, bound to
 * 127.0.0.1, with its log under a data directory so topics and committed offsets survive a restart.
 * Used by the application when {@code kafka.embedded.enabled=true}, and on its own by
 * {@code java -jar <bundle> broker} so tests and benchmarks can crash the app and the broker apart.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final Path dataDir;
    private final int port;
    private int scramPort;
    private KafkaRaftServer server;

    /** @param port the client port; 0 picks a free one */
    public EmbeddedKafkaBroker(Path dataDir, int port) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = port == 0 ? FreePorts.next() : port;
    }

    /**
     * Also listens for SASL/SCRAM-SHA-512 clients on {@code port} (users are added with the admin
     * client over the PLAINTEXT listener), as a Strimzi scram-sha-512 listener does: for the tests that
     * prove every client of the bundle authenticates.
     */
    public EmbeddedKafkaBroker withScramListener(int port) {
        this.scramPort = port;
        return this;
    }

    public synchronized EmbeddedKafkaBroker start() throws Exception {
        if (server != null) {
            return this;
        }
        long started = System.nanoTime();
        Files.createDirectories(dataDir);
        // the client port may come from another JVM (a parent process chose it): never the same for both listeners
        int controllerPort = FreePorts.next();
        while (controllerPort == port) {
            controllerPort = FreePorts.next();
        }
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String scram = scramPort == 0 ? "" : ",SASL_PLAINTEXT://127.0.0.1:" + scramPort;
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + scram + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + scram);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
        if (scramPort != 0) {
            props.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
            props.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        props.put("log.dirs", dataDir.toString());
        // one node: every internal topic has one replica, or the first group join hangs silently
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // topics are created by the application with the contract's settings, never implicitly
        props.put("auto.create.topics.enable", "false");
        // the cleaner's default 128 MiB dedupe buffer is far more than a local broker needs
        props.put("log.cleaner.dedupe.buffer.size", "4194304");
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");
        KafkaConfig config = new KafkaConfig(props, false);

        format();
        // a fatal broker fault would halt the whole JVM without a word: say why first
        Exit.setHaltProcedure((status, message) -> {
            LOG.error("Embedded Kafka broker hit a fatal fault (status {}): {}. Halting.", status, message);
            Runtime.getRuntime().halt(status);
        });
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        LOG.info("Embedded Kafka broker (KRaft) listening on {} with data in {}, started in {} ms",
                bootstrapServers(), dataDir, (System.nanoTime() - started) / 1_000_000);
        return this;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
            LOG.info("Embedded Kafka broker stopped");
        }
    }

    /** What {@code kafka-storage format} does, once: an already formatted directory is kept as it is. */
    private void format() throws Exception {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return;
        }
        new Formatter()
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(1)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(dataDir.toString())
                .setDirectories(List.of(dataDir.toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .run();
    }
}
