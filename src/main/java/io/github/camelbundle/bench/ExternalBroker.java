package io.github.camelbundle.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.List;

/** {@code bench --broker=external}: the Kafka broker in its own JVM, so its cpu is not the bundle's. */
final class ExternalBroker {

    private ExternalBroker() {
    }

    /** Starts {@code App broker} on this classpath and returns once it prints that it is ready. */
    static Process start(int port, Path dataDir) throws Exception {
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx1g", "-cp",
                System.getProperty("java.class.path"), "io.github.camelbundle.App", "broker", "--port=" + port,
                "--data-dir=" + dataDir);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("BROKER READY")) {
                System.out.println("bench: broker in its own process (pid " + p.pid() + ") at 127.0.0.1:" + port);
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe from filling up
                        }
                    } catch (java.io.IOException ignored) {
                        // the broker ended
                    }
                }, "broker-output");
                drain.setDaemon(true);
                drain.start();
                return p;
            }
        }
        throw new IllegalStateException("the broker process ended before it was ready");
    }
}
