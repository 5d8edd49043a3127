package io.ninetail.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.ninetail.testing.LocalHttpServer;
import io.ninetail.testing.LocalHttpServer.Reply;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs held in the middle of their work, for crash tests. Each run fetches a page, then a transform
 * computes from the answer and the run's input. Half the pages wait behind one gate, half behind
 * another: a test can let the first half go on, kill a process while they are being processed, and
 * still know the second half is in flight.
 */
final class InFlightRuns {

    static final int RUNS = 30;
    private static final String WORKFLOW = """
            {"name": "%s", "blocks": [
              {"id": "page", "type": "fetch", "with": {"url": "${ $input.page }", "query": {"n": "${ $input.n }"}}},
              {"id": "sum", "type": "transform", "needs": ["page"],
               "with": {"value": {"n": "${ $input.n }", "echoed": "${ .page.body.n }", "double": "${ .page.body.n * 2 }"}}}
            ]}""";

    private final Api api;
    private final LocalHttpServer site;
    private final String name;
    private final Gate first = new Gate(InFlightRuns::echo);
    private final Gate second = new Gate(InFlightRuns::echo);
    private final Map<String, Integer> inputs = new LinkedHashMap<>();

    private InFlightRuns(Api api, LocalHttpServer site, String name) {
        this.api = api;
        this.site = site;
        this.name = name;
        site.route(path(1), first).route(path(2), second);
    }

    /** {@link #RUNS} runs of a registered workflow, started with {@code POST /workflows/{name}/runs}. */
    static InFlightRuns ofRegistered(Api api, LocalHttpServer site, String name) {
        InFlightRuns runs = new InFlightRuns(api, site, name);
        api.register(WORKFLOW.formatted(name));
        for (int n = 0; n < RUNS; n++) {
            runs.inputs.put(api.start(name, runs.input(n)), n);
        }
        return runs;
    }

    /** {@link #RUNS} ad-hoc runs, started with {@code POST /runs}. */
    static InFlightRuns ofInline(Api api, LocalHttpServer site, String name) {
        InFlightRuns runs = new InFlightRuns(api, site, name);
        for (int n = 0; n < RUNS; n++) {
            runs.inputs.put(api.startInline(WORKFLOW.formatted(name), runs.input(n)), n);
        }
        return runs;
    }

    private String input(int n) {
        return "{\"n\": " + n + ", \"page\": \"" + site.url(path(n % 2 + 1)) + "\"}";
    }

    private String path(int gate) {
        return "/" + name + "/gate-" + gate;
    }

    private static Reply echo(LocalHttpServer.Recorded request) {
        return Reply.text(200, "application/json", "{\"n\": " + request.query().replace("n=", "") + "}");
    }

    /** Every run's fetch is waiting at its gate. */
    void awaitEveryFetchAtItsGate(Duration timeout) {
        first.awaitArrivals(RUNS / 2, timeout);
        second.awaitArrivals(RUNS / 2, timeout);
    }

    void releaseFirstHalf() {
        first.open();
    }

    void releaseSecondHalf() {
        second.open();
    }

    void releaseAll() {
        first.open();
        second.open();
    }

    Set<String> runIds() {
        return inputs.keySet();
    }

    /** How often the pages were fetched, all runs together. */
    int pageRequests() {
        return site.requests(path(1)).size() + site.requests(path(2)).size();
    }

    /** Every run COMPLETED with the output its own input gives, every block once ({@link RunAssertions}). */
    void assertEveryRunCompletedOnce(Duration timeout) {
        inputs.forEach((runId, n) -> {
            JsonNode run = api.awaitFinished(runId, timeout);
            RunAssertions.assertCompletedOnce(api, run);
            assertEquals("{\"sum\":{\"n\":%d,\"echoed\":%d,\"double\":%d}}".formatted(n, n, 2 * n),
                    run.path("output").toString(), "the output of run " + runId + " (n = " + n + ")");
        });
    }
}
