package io.ninetail.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Parallelism: one run that fetches 50 pages at once (each answered after a fixed delay) and
 * joins them in one transform, against a run with a single fetch of the same kind of page. If
 * the engine ran the fetches one after another, the fan-out would take 50 single runs; if
 * fully in parallel, about one.
 */
public final class FanOutScenario implements Scenario {

    static final Duration PAGE_DELAY = Duration.ofMillis(50);

    @Override
    public String name() {
        return "fanout";
    }

    @Override
    public List<Result> run(BenchContext context) throws Exception {
        Plan plan = context.plan();
        ApiClient api = context.api();
        try (PageServer pages = PageServer.start(PAGE_DELAY)) {
            List<String> urls = IntStream.rangeClosed(1, Workflows.FAN_OUT_WIDTH).mapToObj(pages::smallUrl).toList();
            api.register(Workflows.fanOut(urls));
            api.register(Workflows.singleFetch(pages.smallUrl(0)));

            Runs warmup = runs(api, Workflows.SINGLE_FETCH, plan.fanOutWarmup() * 5, FanOutScenario::checkSingle);
            runs(api, Workflows.FAN_OUT, plan.fanOutWarmup(), FanOutScenario::checkFanOut);
            Runs single = runs(api, Workflows.SINGLE_FETCH, plan.singleFetchRuns(), FanOutScenario::checkSingle);
            Runs fanOut = runs(api, Workflows.FAN_OUT, plan.fanOutRuns(), FanOutScenario::checkFanOut);
            Latencies one = single.latencies().latencies();
            Latencies all = fanOut.latencies().latencies();
            Latencies fetchItself = single.fetchElapsed().latencies();
            context.say("  fan-out: 50 fetches p50 %s ms, one fetch p50 %s ms", Numbers.format(all.p50()),
                    Numbers.format(one.p50()));

            Result singleRow = new Result("fan-out: run of 1 fetch", one.count(), one, 1000 / one.mean(),
                    single.errors().size(), "page delay " + PAGE_DELAY.toMillis() + " ms; the fetch block itself "
                    + "(its elapsedMs) p50 " + Numbers.format(fetchItself.p50()) + " ms; one run at a time; "
                    + warmup.latencies().count() + " warm-up runs" + firstError(single.errors()), "—");
            double wallPerOne = all.p50() / one.p50();
            double serial = Workflows.FAN_OUT_WIDTH * one.p50();
            Result fanOutRow = new Result("fan-out of " + Workflows.FAN_OUT_WIDTH + " fetches + join", all.count(), all,
                    1000 / all.mean(), fanOut.errors().size(),
                    "wall p50 = " + Numbers.times(wallPerOne) + " a run of 1 fetch; " + Workflows.FAN_OUT_WIDTH
                            + " such runs in a row: " + Numbers.format(serial) + " ms, the fan-out takes "
                            + Numbers.format(all.p50() / serial) + " of that; " + Numbers.times(all.p50() / fetchItself.p50())
                            + " the fetch block's own elapsedMs; " + plan.fanOutWarmup() + " warm-up run(s)"
                            + firstError(fanOut.errors()),
                    Targets.atMost("wall p50 / run of 1 fetch", wallPerOne, 3, "×"));
            return List.of(singleRow, fanOutRow);
        }
    }

    private interface Check {
        /** Checks a completed run's output; answers the fetch block's elapsedMs when there is one. */
        double check(JsonNode run) throws WrongAnswer;
    }

    private record Runs(LatencyRecorder latencies, LatencyRecorder fetchElapsed, List<String> errors) {
    }

    private static Runs runs(ApiClient api, String workflow, int count, Check check) throws InterruptedException {
        Runs runs = new Runs(new LatencyRecorder(), new LatencyRecorder(), new ArrayList<>());
        for (int i = 0; i < count; i++) {
            long before = System.nanoTime();
            try {
                JsonNode run = api.runAndWait(workflow);
                long took = System.nanoTime() - before;
                double fetchElapsed = check.check(run);
                runs.latencies().recordNanos(took);
                if (!Double.isNaN(fetchElapsed)) {
                    runs.fetchElapsed().recordMillis(fetchElapsed);
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                runs.errors().add(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        return runs;
    }

    private static double checkSingle(JsonNode run) throws WrongAnswer {
        JsonNode fetch = run.path("output").path(Workflows.fetchId(1));
        if (fetch.path("status").asInt() != 200) {
            throw new WrongAnswer("single fetch output " + ApiClient.abbreviate(run.path("output").toString()));
        }
        return fetch.path("elapsedMs").asDouble(Double.NaN);
    }

    private static double checkFanOut(JsonNode run) throws WrongAnswer {
        int ok = run.path("output").path("join").path("ok").asInt(-1);
        if (ok != Workflows.FAN_OUT_WIDTH) {
            throw new WrongAnswer("join saw " + ok + " fetches answer 200, expected " + Workflows.FAN_OUT_WIDTH + ": "
                    + ApiClient.abbreviate(run.path("output").toString()));
        }
        return Double.NaN;
    }

    private static String firstError(List<String> errors) {
        return errors.isEmpty() ? "" : "; first error: " + errors.get(0);
    }
}
