package io.github.camelbundle.kafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded broker as its own process: {@code java -jar <bundle> broker [--port=9092] [--data-dir=data/kafka]
 * [--scram-port=N]} (a SASL/SCRAM-SHA-512 listener besides the PLAINTEXT one).
 * Prints {@code BROKER READY <bootstrap>} once clients can connect; stops cleanly on SIGTERM.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 9092;
        Path dataDir = Path.of("data/kafka");
        int scramPort = 0;
        for (String arg : args) {
            if (arg.startsWith("--port=")) {
                port = Integer.parseInt(arg.substring("--port=".length()));
            } else if (arg.startsWith("--scram-port=")) {
                scramPort = Integer.parseInt(arg.substring("--scram-port=".length()));
            } else if (arg.startsWith("--data-dir=")) {
                dataDir = Path.of(arg.substring("--data-dir=".length()));
            } else {
                System.err.println("usage: broker [--port=9092] [--data-dir=data/kafka] [--scram-port=N]; unknown argument " + arg);
                System.exit(2);
            }
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, port).withScramListener(scramPort).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-shutdown"));
        System.out.println("BROKER READY " + broker.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
