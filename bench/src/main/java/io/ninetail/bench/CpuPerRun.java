package io.ninetail.bench;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where a run's cost goes: the CPU time each process of the system used over a measurement,
 * divided by the runs it served. On this VM throughput moves by a fifth between two runs of the
 * same commit; the CPU a run costs moves far less, and it is what throughput on two saturated
 * cores comes down to (2,000 ms of CPU a second ÷ ms per run).
 */
public final class CpuPerRun {

    /** CPU seconds each process (by the launcher's name, and {@code nats-server}) had used at one moment. */
    public record Snapshot(Map<String, Double> seconds) {

        public static Snapshot of(LaunchedSystem system) {
            Map<String, Long> pids = new LinkedHashMap<>();
            system.processes().forEach(name -> system.pid(name).ifPresent(pid -> pids.put(name, pid)));
            system.pid("nats").ifPresent(pid -> pids.put("nats-server", pid));
            return of(pids);
        }

        static Snapshot of(Map<String, Long> pids) {
            Map<String, Double> seconds = new LinkedHashMap<>();
            pids.forEach((name, pid) -> {
                try {
                    seconds.put(name, ProcFs.cpuSeconds(pid));
                } catch (RuntimeException gone) {
                    // A process that is not running has no share in what is measured.
                }
            });
            return new Snapshot(Map.copyOf(seconds));
        }
    }

    private final Map<String, Double> millisPerRun;

    private CpuPerRun(Map<String, Double> millisPerRun) {
        this.millisPerRun = millisPerRun;
    }

    /** Per process, ms of CPU per run between the snapshots, largest first; a process in only one of them is left out. */
    public static CpuPerRun between(Snapshot before, Snapshot after, long runs) {
        Map<String, Double> perRun = after.seconds().entrySet().stream()
                .filter(entry -> before.seconds().containsKey(entry.getKey()))
                .map(entry -> Map.entry(entry.getKey(),
                        runs == 0 ? 0 : (entry.getValue() - before.seconds().get(entry.getKey())) * 1000 / runs))
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        return new CpuPerRun(perRun);
    }

    public double totalMillis() {
        return millisPerRun.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    public Map<String, Double> millisPerRun() {
        return millisPerRun;
    }

    /** E.g. {@code CPU 15.6 ms/run (nats-server 3.7, scheduler 3.6, …)}, processes under 0.05 ms left out. */
    @Override
    public String toString() {
        String parts = millisPerRun.entrySet().stream()
                .filter(entry -> entry.getValue() >= 0.05)
                .map(entry -> entry.getKey() + " " + String.format(java.util.Locale.ROOT, "%.1f", entry.getValue()))
                .collect(Collectors.joining(", "));
        return String.format(java.util.Locale.ROOT, "CPU %.1f ms/run (%s)", totalMillis(), parts);
    }
}
