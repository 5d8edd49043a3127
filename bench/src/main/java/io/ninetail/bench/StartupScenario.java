package io.ninetail.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up and memory of every process (JVM mode): the resident memory of each after a warm-up
 * that exercises all of them, then each one stopped and started again through the launcher,
 * alone, timed from the process's start (/proc/&lt;pid&gt;/stat) to its first ready answer.
 */
public final class StartupScenario implements Scenario {

    private static final Duration READY_LIMIT = Duration.ofSeconds(120);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(30);
    private static final Duration LOG_LINE_LIMIT = Duration.ofSeconds(5);
    private static final Pattern QUARKUS_STARTED = Pattern.compile("started in ([0-9.]+)s");
    static final double READY_TARGET_SECONDS = 1.5;
    static final double RSS_TARGET_MB = 150;

    @Override
    public String name() {
        return "startup";
    }

    @Override
    public List<Result> run(BenchContext context) throws Exception {
        warmUp(context);
        LaunchedSystem system = context.system();
        Map<String, Double> rssMb = new TreeMap<>();
        for (String process : system.processes()) {
            rssMb.put(process, ProcFs.rssKiB(system.pid(process).orElseThrow()) * 1024 / 1e6);
        }
        List<Result> results = new ArrayList<>();
        for (String process : system.processes()) {
            LatencyRecorder ready = new LatencyRecorder();
            LatencyRecorder quarkusSays = new LatencyRecorder();
            List<String> errors = new ArrayList<>();
            for (int i = 0; i < context.plan().startupRestarts(); i++) {
                try {
                    ready.recordMillis(restart(system, process) * 1000);
                    awaitQuarkusStarted(system, process).ifPresent(seconds -> quarkusSays.recordMillis(seconds * 1000));
                } catch (Exception e) {
                    errors.add(e.getMessage());
                    system.upAgain();
                }
            }
            context.reconnectApi();
            Latencies latencies = ready.latencies();
            double rss = rssMb.get(process);
            context.say("  %s: ready in %s ms (p50), RSS %s MB", process, Numbers.format(latencies.p50()),
                    Numbers.format(rss));
            results.add(new Result("start-up: " + process, latencies.count(), latencies, Double.NaN, errors.size(),
                    "ms from process start to ready; RSS after warm-up " + Numbers.format(rss) + " MB; Quarkus' own "
                            + "\"started in\" p50 " + (quarkusSays.count() == 0 ? "not in the log"
                            : Numbers.format(quarkusSays.latencies().p50()) + " ms")
                            + (errors.isEmpty() ? "" : "; first error: " + errors.get(0)),
                    target(process, latencies, rss)));
        }
        return results;
    }

    static String target(String process, Latencies ready, double rssMb) {
        String verdict = Targets.all(
                Targets.atMost("ready p50", ready.p50() / 1000, READY_TARGET_SECONDS, "s"),
                Targets.atMost("RSS", rssMb, RSS_TARGET_MB, "MB"));
        // The targets are for functions; the api is held to them for comparison only.
        return process.equals("api") ? "(functions' targets) " + verdict : verdict;
    }

    /** Every process runs real work first, so that its memory is that of a warm process. */
    private static void warmUp(BenchContext context) throws Exception {
        try (PageServer pages = PageServer.start(Duration.ZERO)) {
            ScrapeWorkload workload = new ScrapeWorkload(context.api(), pages);
            workload.register();
            ClosedLoop.run(8, new ClosedLoop.Limits(context.plan().memoryWarmup(), context.plan().maxCallsPerLoop()),
                    workload::call);
        }
        context.api().register(Workflows.transformChain(Workflows.HOP_CHAIN, Workflows.CHAIN_LENGTH));
        ClosedLoop.run(4, new ClosedLoop.Limits(context.plan().memoryWarmup(), context.plan().maxCallsPerLoop()),
                () -> context.api().runAndWait(Workflows.HOP_CHAIN));
    }

    /** Stops one process, has the launcher start it again; answers seconds from its start to ready. */
    private static double restart(LaunchedSystem system, String process) throws Exception {
        long oldPid = system.pid(process).orElseThrow(() -> new IOException("no pid recorded for " + process));
        int port = system.port(process);
        stop(oldPid);
        try (ReadinessWatch watch = ReadinessWatch.start(port, READY_LIMIT)) {
            system.upAgain();
            double readyAt = watch.readyAt(READY_LIMIT);
            long newPid = system.pid(process).orElseThrow();
            if (newPid == oldPid) {
                throw new IOException(process + " was not restarted (pid " + oldPid + ")");
            }
            return readyAt - ProcFs.startedAt(newPid);
        }
    }

    private static void stop(long pid) throws Exception {
        ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
        if (handle == null) {
            return;
        }
        handle.destroy();
        try {
            handle.onExit().get(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            handle.destroyForcibly();
            handle.onExit().get(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Quarkus logs its "started in" line just after it starts answering, so the line may not be
     * there yet when the process is seen ready: look again for a moment (bounded).
     */
    private static OptionalDouble awaitQuarkusStarted(LaunchedSystem system, String process)
            throws InterruptedException {
        long deadline = System.nanoTime() + LOG_LINE_LIMIT.toNanos();
        OptionalDouble started = quarkusStarted(system, process);
        while (started.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            started = quarkusStarted(system, process);
        }
        return started;
    }

    /** What Quarkus itself logged as its start-up time (from its main, so without the JVM's own start). */
    private static OptionalDouble quarkusStarted(LaunchedSystem system, String process) {
        String log;
        try {
            // Leniently: a log may hold bytes that are not UTF-8, and readString would refuse them.
            log = new String(Files.readAllBytes(system.log(process)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return OptionalDouble.empty();
        }
        Matcher matcher = QUARKUS_STARTED.matcher(log);
        OptionalDouble last = OptionalDouble.empty();
        while (matcher.find()) {
            last = OptionalDouble.of(Double.parseDouble(matcher.group(1)));
        }
        return last;
    }
}
