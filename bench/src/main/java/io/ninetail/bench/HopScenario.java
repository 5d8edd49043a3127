package io.ninetail.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * What one step of a workflow costs the engine: runs of a chain of ten transforms and of a
 * single transform, through the api ({@code POST /workflows/{name}/runs?wait=PT30S}), one at a
 * time, alternating so that both see the same machine. Both pay the same run start and end, so
 * their difference over the nine extra hops is the engine's cost per hop, compared with the
 * floor measured in the same run.
 */
public final class HopScenario implements Scenario {

    private static final int EXTRA_HOPS = Workflows.CHAIN_LENGTH - 1;

    @Override
    public String name() {
        return "hop";
    }

    @Override
    public List<Result> run(BenchContext context) throws Exception {
        Plan plan = context.plan();
        ApiClient api = context.api();
        api.register(Workflows.transformChain(Workflows.HOP_SINGLE, 1));
        api.register(Workflows.transformChain(Workflows.HOP_CHAIN, Workflows.CHAIN_LENGTH));

        Pairs warmup = runPairs(api, plan.hopWarmup(), plan);
        Pairs measured = runPairs(api, plan.hopPairs(), plan);
        Latencies single = measured.single().latencies();
        Latencies chain = measured.chain().latencies();
        context.say("  hop: single p50 %s ms, chain of %d p50 %s ms", Numbers.format(single.p50()),
                Workflows.CHAIN_LENGTH, Numbers.format(chain.p50()));
        String via = "POST /workflows/{name}/runs?wait=PT30S, one run at a time (throughput = 1 / mean), "
                + "alternating with the other; " + warmup.single().count() + " warm-up pairs";
        Result singleRow = new Result("hop: 1 transform", single.count(), single, 1000 / single.mean(),
                measured.singleErrors().size(), via + firstError(measured.singleErrors()), "—");
        Result chainRow = new Result("hop: chain of " + Workflows.CHAIN_LENGTH + " transforms", chain.count(), chain,
                1000 / chain.mean(), measured.chainErrors().size(), via + firstError(measured.chainErrors()), "—");
        return List.of(singleRow, chainRow, overhead(single, chain, context.floor(),
                measured.singleErrors().size() + measured.chainErrors().size()));
    }

    /** (chain − single) / 9 per percentile, and how many floors that is. */
    static Result overhead(Latencies single, Latencies chain, Latencies floor, long errors) {
        Latencies perHop = new Latencies(Math.min(single.count(), chain.count()),
                (chain.p50() - single.p50()) / EXTRA_HOPS,
                (chain.p90() - single.p90()) / EXTRA_HOPS,
                (chain.p99() - single.p99()) / EXTRA_HOPS,
                Double.NaN, (chain.mean() - single.mean()) / EXTRA_HOPS);
        double p50Floors = perHop.p50() / floor.p50();
        double p99Floors = perHop.p99() / floor.p99();
        String figures = "per hop = (chain − single) / " + EXTRA_HOPS + "; floor p50 " + Numbers.format(floor.p50())
                + " ms, p99 " + Numbers.format(floor.p99()) + " ms: per hop p50 = " + Numbers.times(p50Floors)
                + " floor, p99 = " + Numbers.times(p99Floors) + " floor";
        String target = Targets.all(
                Targets.atMost("p50", perHop.p50(), 2, "ms"),
                Targets.atMost("p99", perHop.p99(), 10, "ms"),
                Targets.atMost("p50 / floor p50", p50Floors, 10, "×"));
        return new Result("hop overhead (per hop)", perHop.count(), perHop, Double.NaN, errors, figures, target);
    }

    private record Pairs(LatencyRecorder single, LatencyRecorder chain, List<String> singleErrors,
                         List<String> chainErrors) {
    }

    private static String firstError(List<String> errors) {
        return errors.isEmpty() ? "" : "; first error: " + errors.get(0);
    }

    /** Single, chain, single, chain… until the count or the time is used up. */
    private static Pairs runPairs(ApiClient api, int pairs, Plan plan) throws InterruptedException {
        LatencyRecorder single = new LatencyRecorder();
        LatencyRecorder chain = new LatencyRecorder();
        List<String> singleErrors = new ArrayList<>();
        List<String> chainErrors = new ArrayList<>();
        long deadline = System.nanoTime() + plan.hopTime().toNanos();
        for (int i = 0; i < pairs && System.nanoTime() < deadline; i++) {
            timeRun(api, Workflows.HOP_SINGLE, "{\"t1\":1}", single, singleErrors);
            timeRun(api, Workflows.HOP_CHAIN, "{\"t" + Workflows.CHAIN_LENGTH + "\":" + Workflows.CHAIN_LENGTH + "}",
                    chain, chainErrors);
        }
        return new Pairs(single, chain, singleErrors, chainErrors);
    }

    private static void timeRun(ApiClient api, String workflow, String expectedOutput, LatencyRecorder latencies,
                                List<String> errors) throws InterruptedException {
        long before = System.nanoTime();
        try {
            JsonNode run = api.runAndWait(workflow);
            long took = System.nanoTime() - before;
            JsonNode expected = ApiClient.JSON.readTree(expectedOutput);
            if (!expected.equals(run.path("output"))) {
                throw new WrongAnswer("output " + run.path("output") + ", expected " + expectedOutput);
            }
            latencies.recordNanos(took);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            errors.add(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
