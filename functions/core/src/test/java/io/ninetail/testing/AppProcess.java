package io.ninetail.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * A built Ninetail app run as its own operating-system process, as in production: the
 * packaged {@code quarkus-app/quarkus-run.jar}, configured by system properties, logging to a
 * file, killed for real ({@code kill -9}) or stopped gracefully.
 */
public final class AppProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Quarkus' start-up line names the port it bound, which is how a port-0 start tells its port. */
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://127\\.0\\.0\\.1:(\\d+)");

    private final String name;
    private final Process process;
    private final Path log;
    /** Known once the app has logged its start-up line; written and read by the test's threads. */
    private volatile int httpPort;

    private AppProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the app in {@code appDir} (a {@code target/quarkus-app} folder) on a port the
     * operating system picks when the app binds it: a port chosen free beforehand can be taken by
     * another process before the app binds it (CI saw exactly that).
     *
     * @param properties Quarkus/Ninetail configuration, passed as {@code -Dkey=value}
     */
    public static AppProcess start(String name, Path appDir, Map<String, String> properties) {
        return start(name, appDir, properties, Map.of());
    }

    /**
     * As {@link #start(String, Path, Map)}, with environment variables too (as a container would
     * get them from its manifest; system properties win over them, as in Quarkus).
     */
    public static AppProcess start(String name, Path appDir, Map<String, String> properties,
                                   Map<String, String> environment) {
        Path jar = appDir.resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the app first (mvn package)");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=0"));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        try {
            Path log = Files.createTempFile("ninetail-" + name + "-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            return new AppProcess(name, process, log);
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name, e);
        }
    }

    /** Waits until {@code /q/health/ready} answers 200; fails with the app's log when it dies first. */
    public AppProcess awaitReady(Duration timeout) {
        await(name + " ready").atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + logText());
                    }
                    return ready();
                });
        return this;
    }

    public boolean ready() {
        if (port() == 0) {
            return false;
        }
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url("/q/health/ready")))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The app's address; known from its start-up line, so after {@link #awaitReady(Duration)}. */
    public String url(String path) {
        int port = port();
        if (port == 0) {
            throw new IllegalStateException(name + " has not logged its port yet: await it ready first");
        }
        return "http://127.0.0.1:" + port + path;
    }

    private int port() {
        if (httpPort == 0) {
            Matcher listening = LISTENING.matcher(logText());
            if (listening.find()) {
                httpPort = Integer.parseInt(listening.group(1));
            }
        }
        return httpPort;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still runs after " + timeout + ":\n" + logText());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** {@code kill -9}: no shutdown hooks, no goodbye. */
    public void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    @Override
    public void close() {
        process.destroy();
        waitForExit();
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(Duration.ofSeconds(15).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
