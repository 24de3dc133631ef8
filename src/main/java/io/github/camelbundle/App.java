package io.github.camelbundle;

import io.github.camelbundle.bench.Bench;
import io.github.camelbundle.kafka.BrokerMain;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar customer-inventory-bundle.jar} runs the whole bundle (embedded broker and
 * database included); {@code ... broker} runs only the embedded Kafka broker, for tests and
 * benchmarks that crash the application and the broker apart; {@code ... bench} runs the benchmark.
 * Run from the repository root, the editable {@code routes/} and {@code application.properties}
 * there are used; anywhere else, the copies packaged in the jar.
 */
public final class App {

    static {
        // before anything uses java.util.logging (log4j's start-up already does): its records go through
        // log4j, so they get the same layout, JSON lines included
        System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
    }

    private static final Logger LOG = LoggerFactory.getLogger(App.class);
    private static final String ROUTES_LOCATION = "bundle.routes-location";

    private App() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("broker")) {
            BrokerMain.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("bench")) {
            try {
                Bench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            } catch (Exception e) {
                LOG.error("The benchmark failed: {}", e.getMessage(), e);
                System.exit(1);
            }
            System.exit(0);
        }
        if (System.getProperty(ROUTES_LOCATION) == null && Files.isDirectory(Path.of("routes"))) {
            System.setProperty(ROUTES_LOCATION, "file:routes");
        }
        // no classpath scanning: the configuration is named, routes come from routes/ only
        Main main = new Main();
        if (Files.isRegularFile(Path.of("application.properties"))) {
            main.setPropertyPlaceholderLocations("file:application.properties");
        }
        main.addMainListener(new RoleSelection());
        main.addMainListener(new LogFormat());
        main.addMainListener(new Tracing());
        try {
            int code = main.run(args);
            if (code > 0) {
                System.exit(code);
            }
        } catch (Exception e) {
            // a start-up failure (e.g. a bad setting) must end the process with an error: the embedded
            // broker, started before the routes, would otherwise keep the JVM running without them
            LOG.error("The bundle did not start: {}", e.getMessage(), e);
            System.exit(1);
        }
    }
}
