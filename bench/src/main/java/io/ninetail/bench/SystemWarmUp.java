package io.ninetail.bench;

import java.time.Duration;
import java.util.Set;

/**
 * Load before the first scenario that measures the engine, so that it measures the engine rather
 * than its JIT compilers at work: the scheduler's optimising compiler (C2) keeps compiling for about
 * two minutes under load, and a lone webhook caller measured in that time waited half as long
 * again (c=1 p50 24 ms after 10 s of load, 16 ms after two minutes; BENCHMARKS.md). The load is the
 * webhook scrape at c=16, which every process but {@code transform} serves.
 */
final class SystemWarmUp {

    /** The scenarios that measure a warm engine; the floor measures NATS alone, start-up cold JVMs. */
    static final Set<String> NEEDED_BY = Set.of("hop", "webhook", "fanout", "scaleout");
    private static final int CONCURRENCY = 16;

    private SystemWarmUp() {
    }

    static void run(BenchContext context) throws Exception {
        Duration time = context.plan().systemWarmup();
        context.say("warming the system up: webhook scrape at c=%d for %d s…", CONCURRENCY, time.toSeconds());
        try (PageServer pages = PageServer.start(Duration.ZERO)) {
            ScrapeWorkload workload = new ScrapeWorkload(context.api(), pages);
            workload.register();
            CpuPerRun.Snapshot before = CpuPerRun.Snapshot.of(context.system());
            Measurement measured = ClosedLoop.run(CONCURRENCY,
                    new ClosedLoop.Limits(time, context.plan().maxCallsPerLoop()), workload::call);
            long runs = measured.latencies().count() + measured.errors();
            context.say("  %d runs, %d errors; %s", runs, measured.errors(),
                    CpuPerRun.between(before, CpuPerRun.Snapshot.of(context.system()), runs));
        }
    }
}
