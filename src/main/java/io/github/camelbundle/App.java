package io.github.camelbundle;

import io.github.camelbundle.bench.Bench;
import io.github.camelbundle.kafka.BrokerMain;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.main.Main;

/**
 * {@code java -jar customer-inventory-bundle.jar} runs the whole bundle (embedded broker and
 * database included); {@code ... broker} runs only the embedded Kafka broker, for tests and
 * benchmarks that crash the application and the broker apart; {@code ... bench} runs the benchmark.
 * Run from the repository root, the editable {@code routes/} and {@code application.properties}
 * there are used; anywhere else, the copies packaged in the jar.
 */
public final class App {

    private static final String ROUTES_LOCATION = "bundle.routes-location";

    private App() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("broker")) {
            BrokerMain.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("bench")) {
            Bench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
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
        main.configure().addConfiguration(BundleConfiguration.class);
        main.run(args);
    }
}
