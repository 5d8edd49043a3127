package io.ninetail.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line of {@code bench/run}.
 *
 * @param only   the scenarios to run, in the bench's order; all when empty
 * @param append whether to append the rows to {@code output}
 */
public record Options(Path root, Path home, Ports ports, Plan plan, List<String> only, Path output, boolean append) {

    /** Every scenario by name, in the order they run: scale-out last, since it restarts everything. */
    public static final List<String> SCENARIOS = List.of("floor", "hop", "webhook", "fanout", "startup", "scaleout");

    public static final String USAGE = """
            usage: bench/run [--quick] [--only SCENARIO,…] [--port-base N] [--home DIR] [--output FILE] [--no-append]
              --quick        short loops (a few minutes in all); default: the full bench (8–10 minutes)
              --only         some of: %s (hop brings floor along: its ratio needs it)
              --port-base    ports of the bench's own system: nats N+22, monitor N+23, api N+80, apps N+81… (%d)
              --home         the bench system's NINETAIL_HOME (.ninetail-bench)
              --output       the report to append to (BENCHMARKS.md)
              --no-append    print the rows only
            """.formatted(String.join(", ", SCENARIOS), Ports.DEFAULT_BASE);

    public static Options parse(String... arguments) {
        Path root = Path.of("").toAbsolutePath();
        Path home = null;
        Path output = null;
        int portBase = Ports.DEFAULT_BASE;
        Plan plan = Plan.full();
        Set<String> only = new LinkedHashSet<>();
        boolean append = true;
        List<String> args = new ArrayList<>(Arrays.asList(arguments));
        while (!args.isEmpty()) {
            String option = args.remove(0);
            switch (option) {
                case "--quick" -> plan = Plan.quick();
                case "--smoke" -> plan = Plan.smoke();
                case "--no-append" -> append = false;
                case "--root" -> root = Path.of(value(option, args)).toAbsolutePath();
                case "--home" -> home = Path.of(value(option, args)).toAbsolutePath();
                case "--output" -> output = Path.of(value(option, args)).toAbsolutePath();
                case "--port-base" -> portBase = parsePort(value(option, args));
                case "--only" -> only.addAll(scenarios(value(option, args)));
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        if (only.contains("hop")) {
            only.add("floor");
        }
        List<String> ordered = SCENARIOS.stream().filter(only::contains).toList();
        return new Options(root, home != null ? home : root.resolve(".ninetail-bench"), Ports.fromBase(portBase), plan,
                ordered, output != null ? output : root.resolve("BENCHMARKS.md"), append);
    }

    public boolean selected(String scenario) {
        return only.isEmpty() || only.contains(scenario);
    }

    private static List<String> scenarios(String list) {
        List<String> names = Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String name : names) {
            if (!SCENARIOS.contains(name)) {
                throw new IllegalArgumentException("--only: no scenario '" + name + "' (scenarios: "
                        + String.join(", ", SCENARIOS) + ")");
            }
        }
        return names;
    }

    private static String value(String option, List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.remove(0);
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port-base takes a number, got '" + text + "'");
        }
    }
}
