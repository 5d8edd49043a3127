package io.ninetail.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Ninetail as {@code ./ninetail} runs it, in the bench's own home directory and on the bench's
 * own ports, so a dev system next to it is untouched. Whatever {@link #up} started is stopped by
 * {@link #close} — also when the bench fails or is interrupted (a shutdown hook), since leftover
 * JVMs would skew every later run on the machine.
 */
public final class LaunchedSystem implements AutoCloseable {

    /** Longest {@code ./ninetail up} may take: it may have to build the apps first. */
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration DOWN_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern SEE_LOG = Pattern.compile("see (\\S+\\.log)");
    private static final int LOG_TAIL_LINES = 30;

    private final Path root;
    private final Path home;
    private final Ports ports;
    private final Thread shutdownHook;
    private Map<String, Integer> replicas = Map.of();
    private Map<String, String> settings = Map.of();
    private volatile boolean started;
    private volatile boolean interrupted;
    /** The launcher command in flight, if any: stopped first on shutdown, so it starts nothing after `down`. */
    private volatile Process launching;

    public LaunchedSystem(Path root, Path home, Ports ports) {
        this.root = root;
        this.home = home;
        this.ports = ports;
        this.shutdownHook = new Thread(this::downQuietly, "bench-system-down");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts what is not running: nats-server and every app, with these replicas; waits until all are ready. */
    public void up(Map<String, Integer> replicas) throws IOException, InterruptedException {
        up(replicas, Map.of());
    }

    /**
     * As {@link #up(Map)}, with these launcher settings on top of the bench's (e.g.
     * {@code NINETAIL_JAVA_OPTS_FETCH}: Java options for the fetch processes only), until the next up.
     */
    public void up(Map<String, Integer> replicas, Map<String, String> settings) throws IOException, InterruptedException {
        this.replicas = Map.copyOf(replicas);
        this.settings = Map.copyOf(settings);
        List<String> command = new ArrayList<>(List.of("up"));
        if (!replicas.isEmpty()) {
            command.add("--replicas");
            command.add(replicas.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(",")));
        }
        started = true;
        Launch launch = launcher(command, UP_TIMEOUT);
        if (launch.exitCode() != 0) {
            throw new IOException("the system did not come up (./ninetail " + String.join(" ", command) + ", exit "
                    + launch.exitCode() + "):\n" + launch.output() + logTails(launch.output()));
        }
    }

    /** Starts again whatever is not running, with the replicas and settings of the last {@link #up}. */
    public void upAgain() throws IOException, InterruptedException {
        up(replicas, settings);
    }

    /**
     * Deletes the JetStream store of the bench's home (the system must be down): every bench run
     * starts from empty streams and buckets. A store kept across runs grows by every run's records
     * and events (gigabytes after a day of runs), and nats-server's memory and work grow with it:
     * the figures of later runs would not compare with earlier ones.
     */
    public void forgetStoredData() throws IOException {
        Path store = home.resolve("nats");
        if (!Files.isDirectory(store)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(store)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Stops everything the launcher recorded in the bench's home. */
    public void down() throws IOException, InterruptedException {
        Launch launch = launcher(List.of("down"), DOWN_TIMEOUT);
        started = false;
        if (launch.exitCode() != 0) {
            throw new IOException("./ninetail down failed (exit " + launch.exitCode() + "):\n" + launch.output());
        }
    }

    /** The app processes as the launcher recorded them (not nats-server), e.g. fetch, fetch-2, api. */
    public List<String> processes() {
        try (Stream<Path> files = Files.list(runDir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".pid"))
                    .map(name -> name.substring(0, name.length() - ".pid".length()))
                    .filter(name -> !name.equals("nats") && !name.equals("site"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public OptionalLong pid(String process) {
        Path file = runDir().resolve(process + ".pid");
        try {
            return Files.exists(file) ? OptionalLong.of(Long.parseLong(Files.readString(file).trim()))
                    : OptionalLong.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port(String process) throws IOException {
        return Integer.parseInt(Files.readString(runDir().resolve(process + ".port")).trim());
    }

    public Path log(String process) {
        return home.resolve("logs").resolve(process + ".log");
    }

    public Ports ports() {
        return ports;
    }

    public Map<String, Integer> replicas() {
        return replicas;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            down();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook is running or ran: nothing left to remove.
            }
        }
    }

    /** Whether the JVM is shutting down (Ctrl-C, kill) and stopped the system under the bench's feet. */
    public boolean interrupted() {
        return interrupted;
    }

    private void downQuietly() {
        interrupted = true;
        if (!started) {
            return;
        }
        Process inFlight = launching;
        if (inFlight != null) {
            inFlight.destroy();
            try {
                inFlight.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            System.err.println("bench: stopping the system in " + home);
            down();
        } catch (Exception e) {
            System.err.println("bench: could not stop the system: " + e.getMessage()
                    + " — run NINETAIL_HOME=" + home + " ./ninetail down");
        }
    }

    private Path runDir() {
        return home.resolve("run");
    }

    private record Launch(int exitCode, String output) {
    }

    /**
     * Runs the launcher with the bench's settings. Its output goes to a file, not a pipe: the
     * processes it starts in the background must not keep a pipe of ours open.
     */
    private Launch launcher(List<String> arguments, Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(home);
        Path output = Files.createTempFile(home, "launcher-", ".out");
        try {
            List<String> command = new ArrayList<>(List.of("bash", root.resolve("ninetail").toString()));
            command.addAll(arguments);
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(environment());
            Process process = builder.start();
            launching = process;
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                return new Launch(-1, Files.readString(output, StandardCharsets.UTF_8)
                        + "\n(./ninetail " + String.join(" ", arguments) + " still running after " + timeout + ")");
            }
            return new Launch(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            launching = null;
            Files.deleteIfExists(output);
        }
    }

    private Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>(ports.environment());
        environment.put("NINETAIL_HOME", home.toString());
        // The launcher looks for nats-server on the PATH; a non-root PATH may lack /usr/sbin.
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        environment.put("PATH", path.contains("/usr/sbin") ? path : path + ":/usr/sbin");
        environment.putAll(settings);
        return environment;
    }

    /** The end of every log the launcher's message points at, so a failure explains itself. */
    private String logTails(String launcherOutput) {
        StringBuilder tails = new StringBuilder();
        Matcher matcher = SEE_LOG.matcher(launcherOutput);
        while (matcher.find()) {
            Path log = Path.of(matcher.group(1));
            tails.append("\n--- last lines of ").append(log).append(" ---\n").append(tail(log));
        }
        return tails.toString();
    }

    static String tail(Path log) {
        try {
            List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read: " + e.getMessage() + ")";
        }
    }
}
