package io.ninetail.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Ninetail started exactly as a user starts it: {@code ./ninetail up} from the repository, with its
 * home ({@code NINETAIL_HOME}) in a temporary directory and free ports, and stopped with
 * {@code ./ninetail down}. A process is found by the pid file the launcher records
 * ({@code $NINETAIL_HOME/run/<name>.pid}), killed with SIGKILL, and started again by
 * {@code ./ninetail up}, which starts whatever is not running and waits until everything is ready.
 */
final class LaunchedSystem implements AutoCloseable {

    private static final Duration LAUNCHER = Duration.ofMinutes(4);
    private static final int LOG_LINES = 40;

    private final Path root;
    private final Path home;
    private final Ports ports;
    private final List<String> upOptions;
    private final Map<String, String> settings;
    private final Thread downOnExit = new Thread(this::downQuietly, "ninetail-down");

    private LaunchedSystem(Path root, Path home, Ports ports, List<String> upOptions, Map<String, String> settings) {
        this.root = root;
        this.home = home;
        this.ports = ports;
        this.upOptions = upOptions;
        this.settings = settings;
    }

    /**
     * Runs {@code ./ninetail up <upOptions>} in a fresh home.
     *
     * @param replicas the most processes of one app that {@code upOptions} asks for (ports are kept free for them)
     * @param settings the launcher's environment besides ports and home, e.g. {@code NINETAIL_JAVA_OPTS}
     */
    static LaunchedSystem up(List<String> upOptions, int replicas, Map<String, String> settings) {
        Path root = Path.of(System.getProperty("ninetail.root", "..")).toAbsolutePath().normalize();
        try {
            LaunchedSystem system = new LaunchedSystem(root, Files.createTempDirectory("ninetail-e2e-"),
                    Ports.pick(replicas), List.copyOf(upOptions), Map.copyOf(settings));
            // A test JVM that is stopped before the suite ends still leaves no process behind.
            Runtime.getRuntime().addShutdownHook(system.downOnExit);
            try {
                system.up();
            } catch (RuntimeException | AssertionError e) {
                system.close();
                throw e;
            }
            return system;
        } catch (IOException e) {
            throw new IllegalStateException("no temporary home for ninetail", e);
        }
    }

    /** {@code ./ninetail up} as at the start: starts what is not running, returns once all is ready. */
    void up() {
        List<String> arguments = new ArrayList<>(List.of("up"));
        arguments.addAll(upOptions);
        launcher(arguments);
    }

    /** {@code ./ninetail down}: stops every process the launcher recorded. */
    void down() {
        launcher(List.of("down"));
    }

    /** {@code kill -9} of a process the launcher started ({@code nats}, {@code api}, {@code fetch-2}, …). */
    void kill(String name) {
        ProcessHandle process = ProcessHandle.of(pid(name))
                .orElseThrow(() -> new AssertionError(name + " is not running"));
        process.destroyForcibly();
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(name + " (pid " + process.pid() + ") still runs after SIGKILL");
        }
    }

    boolean alive(String name) {
        return Files.exists(home.resolve("run").resolve(name + ".pid"))
                && ProcessHandle.of(pid(name)).map(ProcessHandle::isAlive).orElse(false);
    }

    long pid(String name) {
        return Long.parseLong(read(home.resolve("run").resolve(name + ".pid")).strip());
    }

    /** The processes the launcher recorded, nats first. */
    List<String> processes() {
        try (Stream<Path> files = Files.list(home.resolve("run"))) {
            return files.map(file -> file.getFileName().toString()).filter(file -> file.endsWith(".pid"))
                    .map(file -> file.substring(0, file.length() - ".pid".length()))
                    .sorted(Comparator.comparing((String name) -> !name.equals("nats")).thenComparing(name -> name))
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A file of the repository the system runs from, e.g. {@code examples/founder-list-form.json}. */
    Path file(String relative) {
        return root.resolve(relative);
    }

    String api(String path) {
        return "http://127.0.0.1:" + ports.api() + path;
    }

    /** An app process's own HTTP endpoint, e.g. {@code url("fetch-2", "/q/metrics")}. */
    String url(String process, String path) {
        return "http://127.0.0.1:" + read(home.resolve("run").resolve(process + ".port")).strip() + path;
    }

    String natsUrl() {
        return "nats://127.0.0.1:" + ports.nats();
    }

    /** The last lines of every process's log: what a failure message shows. */
    String logTails() {
        return processes().stream().map(name -> "--- " + name + " (" + home.resolve("logs").resolve(name + ".log")
                + ")\n" + tail(home.resolve("logs").resolve(name + ".log"), LOG_LINES)).collect(Collectors.joining("\n"));
    }

    @Override
    public void close() {
        try {
            down();
        } finally {
            Runtime.getRuntime().removeShutdownHook(downOnExit);
        }
    }

    private void downQuietly() {
        try {
            down();
        } catch (RuntimeException | AssertionError ignored) {
            // the JVM is going away; nothing more can be done
        }
    }

    private void launcher(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(root.resolve("ninetail").toString()));
        command.addAll(arguments);
        Path output = home.resolve("launcher.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectInput(new File("/dev/null"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().putAll(ports.environment());
        builder.environment().put("NINETAIL_HOME", home.toString());
        builder.environment().putAll(settings);
        try {
            long before = Files.exists(output) ? Files.size(output) : 0;
            Process launcher = builder.start();
            if (!launcher.waitFor(LAUNCHER.toSeconds(), TimeUnit.SECONDS)) {
                launcher.destroyForcibly();
                throw new AssertionError("./ninetail " + String.join(" ", arguments) + " still ran after " + LAUNCHER
                        + ":\n" + since(output, before) + "\n" + logTails());
            }
            if (launcher.exitValue() != 0) {
                throw new AssertionError("./ninetail " + String.join(" ", arguments) + " exited with "
                        + launcher.exitValue() + ":\n" + since(output, before) + "\n" + logTails());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String since(Path file, long offset) {
        String text = read(file);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return offset >= bytes.length ? "" : new String(bytes, (int) offset, bytes.length - (int) offset, StandardCharsets.UTF_8);
    }

    private static String tail(Path file, int lines) {
        List<String> all = Optional.of(read(file)).map(String::lines).map(Stream::toList).orElse(List.of());
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
