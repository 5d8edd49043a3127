package io.ninetail.bench;

import java.time.Duration;
import java.util.List;

/**
 * How much of each scenario to run: counts and times. Every loop stops at whichever of its
 * count or its time comes first. {@code systemWarmup}: webhook load before the first scenario
 * that measures the engine ({@link SystemWarmUp}).
 */
public record Plan(
        String name, Duration systemWarmup,
        int floorWarmup, int floorRoundTrips, Duration floorTime,
        int hopWarmup, int hopPairs, Duration hopTime,
        Duration webhookWarmup, Duration webhookTime, List<Integer> webhookConcurrency,
        int fanOutWarmup, int fanOutRuns, int singleFetchRuns,
        int startupRestarts, Duration memoryWarmup,
        List<Integer> scaleOutReplicas, int scaleOutConcurrency, Duration scaleOutWarmup, Duration scaleOutTime,
        long maxCallsPerLoop) {

    /** The baseline: 11–13 minutes on two cores, most of it starting JVMs, warming up and the fixed-time loops. */
    public static Plan full() {
        // Two minutes: the scheduler's optimising compiler works that long under load, and a lone
        // webhook caller measured meanwhile waited half as long again (BENCHMARKS.md).
        return new Plan("full", Duration.ofSeconds(120),
                200, 3000, Duration.ofSeconds(30),
                20, 300, Duration.ofSeconds(60),
                Duration.ofSeconds(10), Duration.ofSeconds(20), List.of(1, 16, 64),
                2, 10, 30,
                // Seven starts per app: three gave medians that moved by a third between runs.
                7, Duration.ofSeconds(10),
                List.of(1, 2, 4), 64, Duration.ofSeconds(5), Duration.ofSeconds(20),
                1_000_000);
    }

    /** A look at every figure in a few minutes (most of it starting JVMs). */
    public static Plan quick() {
        return new Plan("quick", Duration.ofSeconds(10),
                50, 500, Duration.ofSeconds(5),
                5, 40, Duration.ofSeconds(10),
                Duration.ofSeconds(2), Duration.ofSeconds(4), List.of(1, 16, 64),
                1, 3, 10,
                1, Duration.ofSeconds(2),
                List.of(1, 2, 4), 64, Duration.ofSeconds(2), Duration.ofSeconds(4),
                1_000_000);
    }

    /** The smoke test's: every scenario once, as short as still means something. */
    public static Plan smoke() {
        return new Plan("smoke", Duration.ofSeconds(1),
                10, 50, Duration.ofSeconds(2),
                2, 5, Duration.ofSeconds(5),
                Duration.ofSeconds(1), Duration.ofSeconds(1), List.of(1, 16, 64),
                1, 1, 2,
                1, Duration.ofSeconds(1),
                List.of(1, 2), 16, Duration.ofSeconds(1), Duration.ofSeconds(1),
                10_000);
    }
}
