package io.github.camelbundle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelbundle.analytics.AnalyticsStore;
import io.github.camelbundle.model.Json;
import java.awt.image.BufferedImage;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard as a person sees it: the whole bundle runs a bounded load, then Debian's headless
 * Chromium loads {@code GET /}, lets the page poll the API and the relayed metrics, and dumps the DOM
 * and a screenshot ({@code target/dashboard.png}). Without Chromium the test is skipped, except under
 * CI (environment variable {@code CI} set), where it fails: {@code .ci/run} installs it.
 */
class DashboardBrowserTest {

    private static final int CUSTOMERS = 2_000;
    private static final Path SCREENSHOT = Path.of("target", "dashboard.png");

    @TempDir
    Path data;

    @TempDir
    Path browserProfile;

    @Test
    void dashboardShowsTheStoredRecordsAndThePipelineMetricsOfALiveRun() throws Exception {
        Path chromium = chromium();
        Map<String, String> boundedRun = Map.of(
                "generator.customers.rate-per-second", "0",
                "generator.customers.limit", Integer.toString(CUSTOMERS),
                "generator.inventory.rate-per-second", "0",
                "generator.inventory.limit", "2000",
                "generator.products", "500");
        try (RunningBundle bundle = RunningBundle.start(data, boundedRun)) {
            DataSource store = bundle.context().getRegistry()
                    .lookupByNameAndType("analyticsStore", AnalyticsStore.class).dataSource();
            RunningBundle.await(CUSTOMERS + " records stored", Duration.ofSeconds(90),
                    () -> StoreProbe.count(store, "SELECT COUNT(*) FROM merged_records") >= CUSTOMERS);
            // the delivered counter moves when the API's acknowledgement arrives, just after the store
            RunningBundle.await("delivered counter at " + CUSTOMERS, Duration.ofSeconds(30),
                    () -> metric(bundle, "integration_records_delivered_total") >= CUSTOMERS);

            // the page: one self-contained HTML document that may only talk to its own origin
            HttpResponse<String> page = bundle.get(bundle.baseUrl() + "/");
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
                    "content type: " + page.headers().firstValue("Content-Type"));
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
            assertTrue(page.body().contains("id=\"stored-count\""));
            assertFalse(Pattern.compile("(src|href)\\s*=\\s*\"(https?:)?//").matcher(page.body()).find(),
                    "the page loads nothing from elsewhere");

            // the management port's metrics, relayed on the business port for the page
            HttpResponse<String> metrics = bundle.get(bundle.baseUrl() + "/dashboard/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            assertTrue(metrics.body().contains("\nintegration_records_delivered_total " + CUSTOMERS + ".0"), "relayed metrics");

            JsonNode summary = Json.MAPPER.readTree(bundle.get(bundle.baseUrl() + "/analytics/summary").body());
            assertEquals(CUSTOMERS, summary.get("records").asLong());
            String topProduct = summary.get("topProducts").get(0).get("productId").asText();

            RunningBundle.await("offsets committed", Duration.ofSeconds(30), () -> {
                try {
                    return bundle.metric("integration_consumer_lag") == 0;
                } catch (Exception e) {
                    return false;
                }
            });
            // what the browser shows after a few polls
            Run dom = runChromium(chromium, "--virtual-time-budget=10000", "--dump-dom", bundle.baseUrl() + "/");
            String html = dom.stdout();
            assertTrue(Set.of("2,000", "2000").contains(text(html, "stored-count")), "stored count shown: " + text(html, "stored-count"));
            assertEquals("2,000", text(html, "delivered-count"));
            assertEquals("0", text(html, "dead-lettered-count"));
            assertEquals("0", text(html, "parked-count"));
            assertEquals("0", text(html, "lag"), "every customer event committed");
            assertTrue(text(html, "status").startsWith("live"), "status: " + text(html, "status"));
            assertTrue(text(html, "latency-p50").matches("[0-9.,]+(ms|s)"), "p50 shown: " + text(html, "latency-p50"));
            String topProducts = between(html, "<tbody id=\"top-products\">", "</tbody>");
            assertTrue(topProducts.contains("<td>" + topProduct + "</td>"), "top product " + topProduct + " listed: " + topProducts);
            assertTrue(between(html, "<tbody id=\"dead-letters\">", "</tbody>").contains("NO_INVENTORY"));
            List<String> console = dom.consoleMessages();
            assertTrue(console.isEmpty(), "no console output from the page: " + console);

            // and as a picture, on a laptop-sized window
            Files.deleteIfExists(SCREENSHOT);
            Run shot = runChromium(chromium, "--virtual-time-budget=10000", "--window-size=1366,900",
                    "--screenshot=" + SCREENSHOT.toAbsolutePath(), bundle.baseUrl() + "/");
            assertTrue(Files.size(SCREENSHOT) > 20_000, "screenshot size " + Files.size(SCREENSHOT));
            BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
            assertNotNull(image, "a PNG");
            assertEquals(1366, image.getWidth());
            assertEquals(900, image.getHeight());
            assertTrue(distinctColours(image) > 50, "a drawn page, not a blank one");
            assertTrue(shot.consoleMessages().isEmpty(), "no console output from the page: " + shot.consoleMessages());
        }
    }

    /** Debian's chromium on the PATH; a skip without it, a failure under CI, where .ci/run installs it. */
    private static Path chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        String message = "chromium is not installed (apt-get install -y chromium; .ci/run does it)";
        if (System.getenv("CI") != null) {
            fail(message);
        }
        Assumptions.abort(message + ": the dashboard browser test is skipped");
        return null;
    }

    private record Run(String stdout, String stderr) {
        /** Lines Chromium logs for the page's console (errors, warnings, CSP violations, failed loads). */
        List<String> consoleMessages() {
            return stderr.lines().filter(l -> l.contains(":CONSOLE")).collect(Collectors.toList());
        }
    }

    private Run runChromium(Path chromium, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
                "--enable-logging=stderr", "--v=0", "--user-data-dir=" + Files.createTempDirectory(browserProfile, "profile")));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(browserProfile, "chromium", ".out");
        Path err = Files.createTempFile(browserProfile, "chromium", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("chromium did not finish within 90 s: " + Files.readString(err, StandardCharsets.UTF_8));
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "chromium exit code; stderr:\n" + stderr);
        return new Run(Files.readString(out, StandardCharsets.UTF_8), stderr);
    }

    /** The text of the element with this id in the dumped DOM (the page's values are plain text nodes). */
    private static String text(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>(.*?)</", Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), "element #" + id + " in the page");
        return m.group(1).replaceAll("<[^>]*>", "").replace("&nbsp;", " ").strip();
    }

    private static String between(String html, String start, String end) {
        int from = html.indexOf(start);
        assertTrue(from >= 0, start + " in the page");
        int to = html.indexOf(end, from);
        return html.substring(from + start.length(), to);
    }

    private static double metric(RunningBundle bundle, String name) {
        try {
            return bundle.metric(name);
        } catch (Exception e) {
            return -1;
        }
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
