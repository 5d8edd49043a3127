package io.ninetail.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux says about processes and the machine (/proc): resident memory, when a process
 * started, the load. Times are seconds since boot, the clock /proc/&lt;pid&gt;/stat is on.
 */
public final class ProcFs {

    private static final long CLOCK_TICKS = clockTicks();

    private ProcFs() {
    }

    /** VmRSS of a process in KiB: what it holds in RAM. */
    public static long rssKiB(long pid) {
        for (String line : lines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for pid " + pid);
    }

    /** When the process started, in seconds since boot (10 ms resolution on most kernels). */
    public static double startedAt(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) may hold spaces and parentheses: count from after its ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long startTicks = Long.parseLong(fields[22 - 3]);
        return (double) startTicks / CLOCK_TICKS;
    }

    /** The CPU time a process has used so far, user and system, in seconds (10 ms resolution on most kernels). */
    public static double cpuSeconds(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long ticks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
        return (double) ticks / CLOCK_TICKS;
    }

    /** Seconds since boot, now. */
    public static double uptime() {
        return Double.parseDouble(read(Path.of("/proc/uptime")).split(" ")[0]);
    }

    /**
     * The share of the machine's CPU time that was idle over {@code window} (all cores, from
     * /proc/stat): 1 is a quiet machine, 0 one where every core was busy.
     */
    public static double cpuIdle(java.time.Duration window) throws InterruptedException {
        long[] before = cpuTimes();
        Thread.sleep(window.toMillis());
        long[] after = cpuTimes();
        long total = after[0] - before[0];
        return total <= 0 ? 1 : (double) (after[1] - before[1]) / total;
    }

    /** {total, idle + iowait} jiffies of all cores since boot. */
    private static long[] cpuTimes() {
        String[] fields = lines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < fields.length; i++) {
            total += Long.parseLong(fields[i]);
        }
        return new long[] {total, Long.parseLong(fields[4]) + Long.parseLong(fields[5])};
    }

    public static double loadAverage() {
        try {
            return Double.parseDouble(read(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    public static long memoryTotalKiB() {
        try {
            for (String line : lines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (RuntimeException e) {
            // Not Linux: the report says 0 GiB rather than failing the run.
        }
        return 0;
    }

    private static long clockTicks() {
        try {
            Process process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes()).trim();
            if (process.waitFor() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            // Fall through to the kernel's usual USER_HZ.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.List<String> lines(Path path) {
        try {
            return Files.readAllLines(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
