package io.github.camelbundle.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The bundle's main class (or its broker) as a separate JVM with this test's classpath, its output
 * copied to a log file; {@link #kill()} is a kill -9, {@link #close()} a SIGTERM.
 */
final class JavaProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final CountDownLatch ready = new CountDownLatch(1);

    private JavaProcess(Process process, Path log, String readyLine) {
        this.process = process;
        this.log = log;
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 var out = Files.newBufferedWriter(log)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    if (readyLine != null && line.contains(readyLine)) {
                        ready.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "pump-" + log.getFileName());
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts {@code io.github.camelbundle.App} with these JVM system properties and arguments. */
    static JavaProcess start(Path log, String readyLine, List<String> systemProperties, String... args) throws IOException {
        return start(log, readyLine, Map.of(), systemProperties, "io.github.camelbundle.App", args);
    }

    /** Starts {@code mainClass} with these environment variables (added to this JVM's), system properties and arguments. */
    static JavaProcess start(Path log, String readyLine, Map<String, String> environment, List<String> systemProperties,
                             String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        systemProperties.forEach(p -> command.add("-D" + p));
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new JavaProcess(builder.start(), log, readyLine);
    }

    /** Starts {@code java -jar jar} (e.g. the Camel Quarkus build's quarkus-run.jar) with these environment variables and system properties. */
    static JavaProcess startJar(Path log, String readyLine, Map<String, String> environment, List<String> systemProperties,
                                Path jar) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx512m");
        systemProperties.forEach(p -> command.add("-D" + p));
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new JavaProcess(builder.start(), log, readyLine);
    }

    void awaitReady(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.await(200, TimeUnit.MILLISECONDS)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError((process.isAlive() ? "process not ready after " + timeout : "process exited")
                        + "; its log:\n" + tail());
            }
        }
    }

    /** Waits until {@code url} answers 200 (e.g. the process's /observe/health/ready). */
    void awaitHttpOk(String url, Duration timeout) throws InterruptedException, IOException {
        var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                var response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError((process.isAlive() ? url + " not OK after " + timeout : "process exited")
                        + "; its log:\n" + tail());
            }
            Thread.sleep(300);
        }
    }

    String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** The exit code, once the process has ended by itself within {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException, IOException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("process still running after " + timeout + "; its log:\n" + tail());
        }
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
