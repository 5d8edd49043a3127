package io.ninetail.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's main job under load: {@code POST /hooks/bench-scrape} → fetch a 20 KB page with
 * 50 links from the bench's own page server → html-scraper (title and every link) → response,
 * at several concurrencies, each for a fixed time after a common warm-up. Every answer is
 * checked; a wrong one is an error.
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
            for (int concurrency : plan.webhookConcurrency()) {
                CpuPerRun.Snapshot before = CpuPerRun.Snapshot.of(context.system());
                Measurement measured = ClosedLoop.run(concurrency,
                        new ClosedLoop.Limits(plan.webhookTime(), plan.maxCallsPerLoop()), workload::call);
                CpuPerRun cpu = CpuPerRun.between(before, CpuPerRun.Snapshot.of(context.system()),
                        measured.latencies().count() + measured.errors());
                context.say("  webhook c=%d: p50 %s ms, p99 %s ms, %s runs/s, %d errors; %s", concurrency,
                        Numbers.format(measured.latencies().p50()), Numbers.format(measured.latencies().p99()),
                        Numbers.format(measured.throughput()), measured.errors(), cpu);
                results.add(row("webhook scrape c=" + concurrency, measured,
                        "page " + pages.page().html().length() / 1000 + " KB, " + ScrapePage.LINKS + " links, "
                                + plan.webhookTime().toSeconds() + " s closed loop; " + cpu,
                        target(concurrency, measured)));
            }
            return results;
        }
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
