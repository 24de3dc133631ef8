package io.github.camelbundle.it;

import io.github.camelbundle.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The whole bundle, started in this JVM the way {@code java -jar} starts it (same routes, same
 * configuration class), on free ports, with its broker and database under a test's temporary folder.
 */
public final class RunningBundle implements AutoCloseable {

    public static final String API_KEY = "test-api-key";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final Main main = new Main();
    private final int httpPort;
    private final int managementPort;

    private RunningBundle(Path dataDir, Map<String, String> overrides) throws Exception {
        this.httpPort = FreePorts.next();
        this.managementPort = FreePorts.next();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("kafka.embedded.port", "0");
        props.put("kafka.embedded.data-dir", dataDir.resolve("kafka").toString());
        props.put("analytics.datasource.url", "jdbc:h2:file:" + dataDir.resolve("analytics") + ";DB_CLOSE_ON_EXIT=FALSE");
        props.put("merge.parking.datasource.url", "jdbc:h2:file:" + dataDir.resolve("parking") + ";DB_CLOSE_ON_EXIT=FALSE");
        props.put("analytics.api-key", API_KEY);
        props.put("camel.server.port", Integer.toString(httpPort));
        props.put("camel.management.port", Integer.toString(managementPort));
        props.put("monitor.interval", "2s");
        props.putAll(overrides);
        props.forEach(main::addOverrideProperty);
        main.addMainListener(new io.github.camelbundle.RoleSelection());
        main.start();
    }

    /** Starts the bundle with its data (Kafka log, H2 file) under {@code dataDir}; same dir = restart. */
    public static RunningBundle start(Path dataDir, Map<String, String> overrides) throws Exception {
        return new RunningBundle(dataDir, overrides);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public String brokers() {
        return context().getPropertiesComponent().resolveProperty("kafka.brokers").orElseThrow();
    }

    public String baseUrl() {
        return "http://localhost:" + httpPort;
    }

    public String managementUrl() {
        return "http://localhost:" + managementPort;
    }

    public HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with the API key: stored records need it. */
    public HttpResponse<String> getWithKey(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("X-API-Key", API_KEY)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A metric from /observe/metrics: the sum of every series with this name whose labels include all of
     * {@code labels} (written as in the exposition, e.g. {@code type="customer"}); 0 when there is none.
     */
    public double metric(String name, String... labels) throws IOException, InterruptedException {
        double total = 0;
        for (String line : get(managementUrl() + "/observe/metrics").body().split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String series = brace > 0 ? line.substring(0, brace) : line.substring(0, space);
            if (!series.equals(name)) {
                continue;
            }
            String labelText = brace > 0 ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
            boolean all = true;
            for (String label : labels) {
                all &= labelText.contains(label);
            }
            if (all) {
                total += Double.parseDouble(line.substring(space + 1));
            }
        }
        return total;
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() {
        main.stop();
    }
}
