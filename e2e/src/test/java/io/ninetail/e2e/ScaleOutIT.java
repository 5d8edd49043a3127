package io.ninetail.e2e;

import io.ninetail.testing.LocalHttpServer;
import io.ninetail.testing.LocalHttpServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./ninetail up --replicas fetch=3}: three fetch processes share the work of one durable consumer. */
@ExtendWith(NinetailExtension.class)
class ScaleOutIT {

    private static final int RUNS = 60;
    private static final Map<String, String> FETCH_OUTPUTS = Map.of("type", "fetch", "outcome", "output");
    private static final LocalHttpServer SITE = new LocalHttpServer()
            .route("/item", request -> Reply.text(200, "application/json", "{\"" + request.query().replace("=", "\": ") + "}"));
    private static LaunchedSystem system;
    private static Api api;

    @BeforeAll
    static void launched(LaunchedSystem launched) {
        system = launched;
        api = new Api(launched);
    }

    @AfterAll
    static void stopSite() {
        SITE.close();
    }

    @Test
    void everyFetchReplicaTakesAShareOfTheTasksAndEachTaskRunsOnce() {
        List<String> replicas = system.processes().stream().filter(name -> name.equals("fetch") || name.startsWith("fetch-"))
                .toList();
        assertEquals(NinetailExtension.FETCH_REPLICAS, replicas.size(), "fetch processes: " + replicas);
        Map<String, Double> before = executions(replicas);
        api.register("""
                {"name": "spread", "blocks": [
                  {"id": "item", "type": "fetch", "with": {"url": "%s", "query": {"n": "${ $input.n }"}}}]}"""
                .formatted(SITE.url("/item")));

        List<String> runIds = new ArrayList<>();
        for (int n = 0; n < RUNS; n++) {
            runIds.add(api.start("spread", "{\"n\": " + n + "}"));
        }
        for (int n = 0; n < RUNS; n++) {
            var run = api.awaitFinished(runIds.get(n), Duration.ofSeconds(90));
            assertEquals("COMPLETED", run.path("status").asText(), run::toString);
            assertEquals(n, run.path("output").path("item").path("body").path("n").asInt(), run::toString);
        }

        Map<String, Double> took = new LinkedHashMap<>();
        executions(replicas).forEach((replica, after) -> took.put(replica, after - before.get(replica)));
        took.forEach((replica, count) -> assertTrue(count > 0, replica + " took none of the tasks: " + took));
        assertEquals(RUNS, took.values().stream().mapToDouble(Double::doubleValue).sum(), "each task ran once: " + took);
    }

    /** {@code ninetail_block_executions_total{type="fetch",outcome="output"}} of each replica. */
    private static Map<String, Double> executions(List<String> replicas) {
        Map<String, Double> executions = new LinkedHashMap<>();
        replicas.forEach(replica -> executions.put(replica,
                Metrics.value(system, replica, "ninetail_block_executions_total", FETCH_OUTPUTS)));
        return executions;
    }
}
