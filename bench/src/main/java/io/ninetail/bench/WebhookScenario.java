package io.ninetail.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The engine's main job under load: {@code POST /hooks/bench-scrape} → fetch a 20 KB page with
 * 50 links from the bench's own page server → html-scraper (title and every link) → response,
 * at several concurrencies, each for a fixed time after a common warm-up; then, at the highest
 * concurrency, the same with one transform block more, for what one hop costs under load. Every
 * answer is checked; a wrong one is an error.
 */
public final class WebhookScenario implements Scenario {

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public List<Result> run(BenchContext context) throws Exception {
        Plan plan = context.plan();
        try (PageServer pages = PageServer.start(Duration.ZERO)) {
            ScrapeWorkload workload = new ScrapeWorkload(context.api(), pages);
            workload.register();
            int warmupConcurrency = plan.webhookConcurrency().stream().max(Integer::compare).orElse(1);
            ClosedLoop.run(Math.min(16, warmupConcurrency),
                    new ClosedLoop.Limits(plan.webhookWarmup(), plan.maxCallsPerLoop()), workload::call);
            List<Result> results = new ArrayList<>();
            Loaded last = null;
            for (int concurrency : plan.webhookConcurrency()) {
                last = measure(context, workload, "webhook", concurrency);
                results.add(row("webhook scrape c=" + concurrency, last.measured(), figures(pages, plan) + last.cpu(),
                        target(concurrency, last.measured())));
            }
            if (last != null) {
                results.add(extraHop(context, pages, last));
            }
            return results;
        }
    }

    /** A closed loop at one concurrency and the CPU each process spent per run meanwhile. */
    private record Loaded(int concurrency, Measurement measured, CpuPerRun cpu) {
    }

    private static Loaded measure(BenchContext context, ScrapeWorkload workload, String label, int concurrency)
            throws Exception {
        Plan plan = context.plan();
        CpuPerRun.Snapshot before = CpuPerRun.Snapshot.of(context.system());
        Measurement measured = ClosedLoop.run(concurrency,
                new ClosedLoop.Limits(plan.webhookTime(), plan.maxCallsPerLoop()), workload::call);
        CpuPerRun cpu = CpuPerRun.between(before, CpuPerRun.Snapshot.of(context.system()),
                measured.latencies().count() + measured.errors());
        context.say("  %s c=%d: p50 %s ms, p99 %s ms, %s runs/s, %d errors; %s", label, concurrency,
                Numbers.format(measured.latencies().p50()), Numbers.format(measured.latencies().p99()),
                Numbers.format(measured.throughput()), measured.errors(), cpu);
        return new Loaded(concurrency, measured, cpu);
    }

    /**
     * The same scrape with one transform more, right after the highest concurrency: what one
     * block hop costs the whole system under load, which is what the throughput target turns on.
     */
    private static Result extraHop(BenchContext context, PageServer pages, Loaded without) throws Exception {
        Plan plan = context.plan();
        ScrapeWorkload workload = ScrapeWorkload.withExtraHop(context.api(), pages);
        workload.register();
        // The new workflow's first runs compile its expressions and warm the transform function.
        ClosedLoop.run(without.concurrency(), new ClosedLoop.Limits(plan.webhookWarmup(), plan.maxCallsPerLoop()),
                workload::call);
        Loaded with = measure(context, workload, "webhook + 1 transform", without.concurrency());
        double cpuPerHop = with.cpu().totalMillis() - without.cpu().totalMillis();
        String comparison = String.format(Locale.ROOT,
                "; one hop more than the c=%d row: %+.1f ms CPU/run, throughput ×%s", without.concurrency(), cpuPerHop,
                Numbers.format(with.measured().throughput() / without.measured().throughput()));
        return row("webhook scrape + 1 transform c=" + without.concurrency(), with.measured(),
                figures(pages, plan) + with.cpu() + comparison, "—");
    }

    private static String figures(PageServer pages, Plan plan) {
        return "page " + pages.page().html().length() / 1000 + " KB, " + ScrapePage.LINKS + " links, "
                + plan.webhookTime().toSeconds() + " s closed loop; ";
    }

    static Result row(String scenario, Measurement measured, String figures, String target) {
        String errors = measured.errors() == 0 ? "" : "; first error: " + measured.firstError();
        return new Result(scenario, measured.latencies().count(), measured.latencies(), measured.throughput(),
                measured.errors(), figures + errors, target);
    }

    static String target(int concurrency, Measurement measured) {
        if (concurrency == 1) {
            return Targets.atMost("p50", measured.latencies().p50(), 15, "ms");
        }
        if (concurrency == 64) {
            return Targets.all(Targets.atLeast("", measured.throughput(), 400, "runs/s"),
                    Targets.noErrors(measured.errors()));
        }
        return "—";
    }
}
