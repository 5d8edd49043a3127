package io.ninetail.bench;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bench: starts Ninetail with the launcher on its own ports, runs the scenarios against it,
 * stops it, and appends a row per result to the report. {@code bench/run} is its command line.
 */
public final class Bench {

    private static final List<Scenario> SCENARIOS = List.of(new FloorScenario(), new HopScenario(),
            new WebhookScenario(), new FanOutScenario(), new StartupScenario(), new ScaleOutScenario());

    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(30);
    private static final double SETTLED_IDLE = 0.8;

    private final Options options;
    private final PrintStream console;

    public Bench(Options options, PrintStream console) {
        this.options = options;
        this.console = console;
    }

    public static void main(String[] arguments) {
        Options options;
        try {
            options = Options.parse(arguments);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        try {
            List<Result> results = new Bench(options, System.out).run();
            System.exit(results.stream().allMatch(r -> r.errors() == 0) ? 0 : 1);
        } catch (Exception e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Runs the selected scenarios; answers every row, also those that recorded errors. */
    public List<Result> run() throws Exception {
        long start = System.nanoTime();
        Machine machine = Machine.describe(options.root());
        say("bench (%s): %s, load %.2f, commit %s; system in %s, api %s", options.plan().name(), machine.text(),
                machine.load(), machine.commit(), options.home(), options.ports().apiUrl());
        if (machine.load() > machine.cores() / 2.0) {
            say("note: the load average is %.2f on %d cores; figures will be noisy", machine.load(), machine.cores());
        }
        List<Report.Row> rows = new ArrayList<>();
        LaunchedSystem system = new LaunchedSystem(options.root(), options.home(), options.ports());
        try (system) {
            // A bench killed before it could stop its system leaves it running in the same home.
            system.down();
            system.forgetStoredData();
            say("starting the system (./ninetail up), with an empty JetStream store…");
            long before = System.nanoTime();
            system.up(Map.of());
            say("system up in %s s", Numbers.format((System.nanoTime() - before) / 1e9));
            settle();
            BenchContext context = new BenchContext(options.plan(), system,
                    new ApiClient(URI.create(options.ports().apiUrl())), console);
            boolean warm = false;
            for (Scenario scenario : SCENARIOS) {
                if (options.selected(scenario.name())) {
                    if (!warm && SystemWarmUp.NEEDED_BY.contains(scenario.name()) && !system.interrupted()) {
                        try {
                            SystemWarmUp.run(context);
                        } catch (InterruptedException e) {
                            throw e;
                        } catch (Exception e) {
                            // The scenarios then record what is wrong, each in its row.
                            say("  warm-up failed: %s", e.getMessage());
                        }
                        settle();
                        warm = true;
                    }
                    List<Result> results = run(scenario, context);
                    double load = ProcFs.loadAverage();
                    results.forEach(result -> rows.add(new Report.Row(result, load)));
                }
            }
        }
        if (system.interrupted()) {
            // The scenarios running when the system was stopped failed for that reason alone.
            throw new InterruptedException("interrupted: the system is stopped, nothing appended");
        }
        if (options.append()) {
            Report.append(options.output(), machine, rows);
            say("appended %d rows to %s", rows.size(), options.output());
        }
        say("");
        say("%s", Report.HEADER);
        rows.forEach(row -> say("%s", Report.row(machine, row)));
        say("");
        say("bench took %s min; load average now %.2f", Numbers.format((System.nanoTime() - start) / 60e9),
                ProcFs.loadAverage());
        return rows.stream().map(Report.Row::result).toList();
    }

    /**
     * Freshly started JVMs keep compiling and collecting for a while after they answer ready;
     * measured then, the floor's tail would be theirs. Waits (bounded) until the CPU is mostly idle.
     */
    private void settle() throws InterruptedException {
        long start = System.nanoTime();
        double idle = 0;
        while (System.nanoTime() - start < SETTLE_LIMIT.toNanos()) {
            idle = ProcFs.cpuIdle(Duration.ofSeconds(1));
            if (idle >= SETTLED_IDLE) {
                say("system settled: CPU %.0f %% idle after %s s", idle * 100,
                        Numbers.format((System.nanoTime() - start) / 1e9));
                return;
            }
        }
        say("note: CPU still only %.0f %% idle after %d s: other work on the machine", idle * 100,
                SETTLE_LIMIT.toSeconds());
    }

    private List<Result> run(Scenario scenario, BenchContext context) {
        say("== %s", scenario.name());
        try {
            return scenario.run(context);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(Result.failed(scenario.name(), e));
        } catch (Exception e) {
            say("  %s failed: %s", scenario.name(), e.getMessage());
            e.printStackTrace(console);
            return List.of(Result.failed(scenario.name(), e));
        }
    }

    private void say(String format, Object... arguments) {
        console.printf(format + "%n", arguments);
        console.flush();
    }
}
