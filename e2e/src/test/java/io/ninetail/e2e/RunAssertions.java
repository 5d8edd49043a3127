package io.ninetail.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What "completed once" means for a run, read back through the api as a user would. */
final class RunAssertions {

    private RunAssertions() {
    }

    /**
     * {@code run} (its {@code GET /runs/{id}}) is COMPLETED, every block COMPLETED at its first and only
     * attempt, and its event stream tells each block's completion and the run's completion exactly once:
     * nothing was lost, nothing applied twice.
     */
    static void assertCompletedOnce(Api api, JsonNode run) {
        String runId = run.path("runId").asText();
        assertEquals("COMPLETED", run.path("status").asText(), () -> "run " + runId + ": " + run);
        run.path("blocks").properties().forEach(block -> {
            String where = "run " + runId + ", block " + block.getKey() + ": " + block.getValue();
            assertEquals("COMPLETED", block.getValue().path("status").asText(), where);
            assertEquals(1, block.getValue().path("attempts").size(), "one attempt: " + where);
            assertEquals(1, block.getValue().path("attempt").asInt(), where);
        });
        List<Api.SseEvent> events = api.events(runId);
        Map<String, Long> counts = events.stream().collect(Collectors.groupingBy(RunAssertions::label, Collectors.counting()));
        assertEquals(1L, counts.getOrDefault("workflow.complete", 0L), () -> "one complete event for " + runId + ": " + counts);
        run.path("blocks").fieldNames().forEachRemaining(block -> assertEquals(1L,
                counts.getOrDefault("workflow.block.completed " + block, 0L),
                () -> "one completed event for block " + block + " of " + runId + ": " + counts));
    }

    /** {@code workflow.block.completed page}, {@code workflow.complete}, … */
    private static String label(Api.SseEvent event) {
        if (!event.event().startsWith("workflow.block.")) {
            return event.event();
        }
        try {
            return event.event() + " " + Api.JSON.readTree(event.data()).path("blockid").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError("an event that is not JSON: " + event, e);
        }
    }
}
