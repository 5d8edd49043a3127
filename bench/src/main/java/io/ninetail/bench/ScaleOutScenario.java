package io.ninetail.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether more processes of the busy functions add capacity: the webhook scenario at one
 * concurrency, against a page server that answers after 50 ms, with 1, 2 and 4 processes each of
 * fetch and html-scraper. Each of their processes takes at most {@link #BLOCKS_AT_ONCE} blocks
 * at once ({@code ninetail.block.concurrency}, as Knative's {@code containerConcurrency} caps a
 * pod), so a replica's capacity is the limit, not the machine's two cores, which one uncapped
 * replica already saturates. The whole system is stopped and started again for each
 * step, so every configuration starts cold and gets the same warm-up. Reported, not asserted.
 */
public final class ScaleOutScenario implements Scenario {

    static final Duration PAGE_DELAY = Duration.ofMillis(50);
    /**
     * Four fetches at a time against a 50 ms page: about 70 runs/s per fetch replica, so even
     * four replicas stay near what two cores can run.
     */
    static final int BLOCKS_AT_ONCE = 4;

    @Override
    public String name() {
        return "scaleout";
    }

    @Override
    public List<Result> run(BenchContext context) throws Exception {
        List<Result> results = new ArrayList<>();
        double first = Double.NaN;
        double previous = Double.NaN;
        try (PageServer pages = PageServer.start(PAGE_DELAY)) {
            for (int replicas : context.plan().scaleOutReplicas()) {
                String scenario = "scale-out: fetch ×" + replicas + ", html-scraper ×" + replicas;
                try {
                    Result result = step(context, pages, replicas, scenario, first, previous);
                    if (Double.isNaN(first)) {
                        first = result.throughput();
                    }
                    previous = result.throughput();
                    results.add(result);
                } catch (IOException e) {
                    // One configuration that does not come up (or breaks) says so in its row; the
                    // next one starts from `down` anyway.
                    context.say("  scale-out ×%d failed: %s", replicas, e.getMessage());
                    results.add(Result.failed(scenario, e));
                }
            }
        } finally {
            context.reconnectApi();
        }
        return results;
    }

    private static Result step(BenchContext context, PageServer pages, int replicas, String scenario, double first,
                               double previous) throws IOException, InterruptedException {
        Plan plan = context.plan();
        LaunchedSystem system = context.system();
        long before = System.nanoTime();
        system.down();
        String capped = "-Dninetail.block.concurrency=" + BLOCKS_AT_ONCE;
        system.up(Map.of("fetch", replicas, "html-scraper", replicas),
                Map.of("NINETAIL_JAVA_OPTS_FETCH", capped, "NINETAIL_JAVA_OPTS_HTML_SCRAPER", capped));
        double upSeconds = (System.nanoTime() - before) / 1e9;
        context.reconnectApi();
        ScrapeWorkload workload = new ScrapeWorkload(context.api(), pages);
        workload.register();
        int concurrency = plan.scaleOutConcurrency();
        ClosedLoop.run(concurrency, new ClosedLoop.Limits(plan.scaleOutWarmup(), plan.maxCallsPerLoop()),
                workload::call);
        Measurement measured = ClosedLoop.run(concurrency,
                new ClosedLoop.Limits(plan.scaleOutTime(), plan.maxCallsPerLoop()), workload::call);
        double throughput = measured.throughput();
        context.say("  scale-out ×%d: %s runs/s, p50 %s ms, %d errors", replicas, Numbers.format(throughput),
                Numbers.format(measured.latencies().p50()), measured.errors());
        double baseline = Double.isNaN(first) ? throughput : first;
        return WebhookScenario.row(scenario, measured,
                "webhook scrape c=" + concurrency + ", page delay " + PAGE_DELAY.toMillis() + " ms, "
                        + BLOCKS_AT_ONCE + " blocks at a time per fetch or html-scraper process, "
                        + plan.scaleOutTime().toSeconds() + " s; throughput " + Numbers.times(throughput / baseline)
                        + " that of the first step; system (re)started in " + Numbers.format(upSeconds) + " s",
                growth(previous, throughput));
    }

    /** The issue asks throughput to grow with replicas: said per step, not asserted. */
    static String growth(double previous, double throughput) {
        if (Double.isNaN(previous)) {
            return "grows with replicas: (first step)";
        }
        return "grows with replicas: " + (throughput > previous ? "yes" : "no") + ", "
                + Numbers.times(throughput / previous) + " the previous step";
    }
}
