package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ninetail.core.block.BlockError;
import io.ninetail.core.definition.WorkflowDefinition;
import io.ninetail.core.definition.WorkflowValidator;
import io.ninetail.core.run.BlockStatus;
import io.ninetail.core.run.Effect;
import io.ninetail.core.run.Run;
import io.ninetail.core.run.RunStatus;
import io.ninetail.core.run.Timer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The state machine alone: no NATS, no clock, every rule shown by its effects. */
class RunTransitionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static WorkflowDefinition definition(String json) {
        return new WorkflowValidator().validate(json).definition()
                .orElseThrow(() -> new AssertionError(new WorkflowValidator().validate(json).errors()));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static RunTransitions machine(WorkflowDefinition definition) {
        return new RunTransitions(definition, Duration.ofMinutes(5), reference -> {
            throw new AssertionError("no payloads here");
        });
    }

    private static List<Effect.Dispatch> dispatches(Run run) {
        return run.outbox().stream().filter(Effect.Dispatch.class::isInstance).map(Effect.Dispatch.class::cast).toList();
    }

    private static List<Timer> timers(Run run) {
        return run.outbox().stream().filter(Effect.StartTimer.class::isInstance)
                .map(effect -> ((Effect.StartTimer) effect).timer()).toList();
    }

    @Test
    void startDispatchesEveryBlockWithoutNeedsAndStartingTwiceDoesNothing() {
        WorkflowDefinition flow = definition("""
                {"name": "t", "blocks": [
                  {"id": "a", "type": "transform", "with": {"value": 1}},
                  {"id": "b", "type": "transform", "with": {"value": 2}},
                  {"id": "c", "type": "transform", "needs": ["a", "b"], "with": {"value": 3}}]}""");
        RunTransitions machine = machine(flow);

        Run started = machine.start(Run.pending("r1", flow, null, null, T0), T0, Duration.ofHours(1));

        assertEquals(List.of(new Effect.Dispatch("a", 1), new Effect.Dispatch("b", 1)), dispatches(started));
        assertEquals(BlockStatus.PENDING, started.block("c").status());
        assertSame(started, machine.start(started, T0, Duration.ofHours(1)));
    }

    @Test
    void runPastItsDeadlineFailsWithTimeoutAndCancelsWhatIsLeft() {
        WorkflowDefinition flow = definition("""
                {"name": "t", "blocks": [{"id": "a", "type": "transform", "with": {"value": 1}, "timeout": "1h"}]}""");
        RunTransitions machine = machine(flow);
        Run started = machine.start(Run.pending("r1", flow, null, null, T0), T0, Duration.ofMinutes(10));
        assertEquals(T0.plus(Duration.ofMinutes(10)), started.deadline());
        Timer wake = timers(started).get(0);
        assertEquals(started.deadline(), wake.dueAt(), "the run's deadline comes before the block's timeout");

        Run ended = machine.onTimer(started, wake, wake.dueAt());

        assertEquals(RunStatus.FAILED, ended.status());
        assertEquals("TIMEOUT", ended.error().code());
        assertEquals(BlockStatus.CANCELLED, ended.block("a").status());
    }

    @Test
    void theWorkflowsTimeoutReplacesTheConfiguredRunTimeoutLongerOrShorter() {
        String blocks = "\"blocks\": [{\"id\": \"a\", \"type\": \"transform\", \"with\": {\"value\": 1}}]";
        WorkflowDefinition longer = definition("{\"name\": \"t\", \"timeout\": \"PT2H\", " + blocks + "}");
        WorkflowDefinition shorter = definition("{\"name\": \"t\", \"timeout\": \"90s\", " + blocks + "}");
        WorkflowDefinition unset = definition("{\"name\": \"t\", " + blocks + "}");

        assertEquals(T0.plus(Duration.ofHours(2)), machine(longer)
                .start(Run.pending("r1", longer, null, null, T0), T0, Duration.ofHours(1)).deadline());
        assertEquals(T0.plusSeconds(90), machine(shorter)
                .start(Run.pending("r1", shorter, null, null, T0), T0, Duration.ofHours(1)).deadline());
        assertEquals(T0.plus(Duration.ofHours(1)), machine(unset)
                .start(Run.pending("r1", unset, null, null, T0), T0, Duration.ofHours(1)).deadline());
    }

    @Test
    void aRunHasOneWakeUpForItsEarliestDueTimeNotOnePerBlock() {
        WorkflowDefinition flow = definition("""
                {"name": "t", "blocks": [
                  {"id": "a", "type": "transform", "with": {"value": 1}},
                  {"id": "b", "type": "transform", "with": {"value": 2}, "timeout": "30s"},
                  {"id": "c", "type": "transform", "needs": ["a", "b"], "with": {"value": 3}}]}""");
        RunTransitions machine = machine(flow);

        Run started = machine.start(Run.pending("r1", flow, null, null, T0), T0, Duration.ofHours(1));

        assertEquals(List.of(new Timer("r1", T0.plusSeconds(30))), timers(started), "b's timeout, the earliest");
        assertEquals(T0.plusSeconds(30), started.alarm());
        Run next = machine.onOutput(started.withoutOutbox(), "a", 1, json("1"), null, T0.plusSeconds(1));
        next = machine.onOutput(next, "b", 1, json("2"), null, T0.plusSeconds(2));
        assertEquals(List.of(), timers(next), "c's timeout (5 min) is later than the pending wake-up");
        assertEquals(BlockStatus.RUNNING, next.block("c").status());

        Run woken = machine.onTimer(next.withoutOutbox(), timers(started).get(0), T0.plusSeconds(30));

        assertEquals(List.of(new Timer("r1", T0.plusSeconds(2).plus(Duration.ofMinutes(5)))), timers(woken),
                "the wake-up with nothing due sets the next, for c's timeout");
        assertSame(woken, machine.onTimer(woken, timers(started).get(0), T0.plusSeconds(31)),
                "the same wake-up again changes nothing");
    }

    @Test
    void aWakeUpTimesOutAnAttemptThatDidNotAnswerAndRetriesIt() {
        WorkflowDefinition flow = definition("""
                {"name": "t", "blocks": [{"id": "slow", "type": "transform", "with": {"value": 1}, "timeout": "10s",
                  "retry": {"maxAttempts": 2, "delay": "1s"}}]}""");
        RunTransitions machine = machine(flow);
        Run started = machine.start(Run.pending("r1", flow, null, null, T0), T0, null).withoutOutbox();

        Run waiting = machine.onTimer(started, new Timer("r1", T0.plusSeconds(10)), T0.plusSeconds(10));

        assertEquals(BlockStatus.READY, waiting.block("slow").status());
        assertEquals("TIMEOUT", waiting.block("slow").error().code());
        assertEquals(List.of(new Timer("r1", T0.plusSeconds(11))), timers(waiting), "the retry after its backoff");
        Run retried = machine.onTimer(waiting.withoutOutbox(), timers(waiting).get(0), T0.plusSeconds(11));
        assertEquals(List.of(new Effect.Dispatch("slow", 2)), dispatches(retried));
        assertEquals(List.of(new Timer("r1", T0.plusSeconds(21))), timers(retried), "attempt 2's timeout");
        assertSame(retried, machine.onTimer(retried, new Timer("r1", T0.plusSeconds(10)), T0.plusSeconds(12)),
                "a late duplicate of the first wake-up changes nothing");
    }

    @Test
    void retryWaitsAtLeastWhatTheBlockAskedFor() {
        WorkflowDefinition flow = definition("""
                {"name": "t", "blocks": [{"id": "api", "type": "transform", "with": {"value": 1},
                  "retry": {"maxAttempts": 3, "delay": "1s"}}]}""");
        RunTransitions machine = machine(flow);
        Run started = machine.start(Run.pending("r1", flow, null, null, T0), T0, null);

        Run waiting = machine.onError(started.withoutOutbox(), "api", 1,
                new BlockError("STATUS", "429", true, Map.of("retryAfterMs", 7000)), T0);

        assertEquals(List.of(new Timer("r1", T0.plusSeconds(7))), timers(waiting),
                "Retry-After (7 s) beats the 1 s backoff");
        assertEquals(BlockStatus.READY, waiting.block("api").status());
        assertSame(waiting, machine.onTimer(waiting, new Timer("r1", T0.plusSeconds(6)), T0.plusSeconds(6)),
                "a wake-up before the retry is due changes nothing");
        assertEquals(List.of(new Effect.Dispatch("api", 2)),
                dispatches(machine.onTimer(waiting.withoutOutbox(), timers(waiting).get(0), T0.plusSeconds(7))));
    }

    @Test
    void runOutputIsTheResponseBlocksOutput() {
        WorkflowDefinition flow = definition("""
                {"name": "t", "blocks": [
                  {"id": "trigger", "type": "hook", "with": {"path": "t"}},
                  {"id": "reply", "type": "response", "needs": ["trigger"], "with": {"body": {"ok": true}}},
                  {"id": "audit", "type": "transform", "needs": ["trigger"], "with": {"value": 1}}]}""");
        RunTransitions machine = machine(flow);
        Run run = machine.start(Run.pending("r1", flow, null, null, T0), T0, null);
        run = machine.onOutput(run, "trigger", 1, json("{\"body\": {}}"), null, T0);
        run = machine.onOutput(run, "reply", 1, json("{\"status\": 200, \"body\": {\"ok\": true}}"), null, T0);
        run = machine.onOutput(run, "audit", 1, json("1"), null, T0);

        assertEquals(RunStatus.COMPLETED, run.status());
        assertEquals(json("{\"status\": 200, \"body\": {\"ok\": true}}"), run.output());
    }

    @Test
    void aResponseOutputKeptByReferenceIsTheRunsOutputByReferenceAndItsEndEventCarriesIt() {
        WorkflowDefinition flow = definition("""
                {"name": "t", "blocks": [
                  {"id": "trigger", "type": "hook", "with": {"path": "t"}},
                  {"id": "reply", "type": "response", "needs": ["trigger"], "with": {"body": {"ok": true}}}]}""");
        JsonNode kept = json("{\"status\": 200, \"body\": {\"page\": \"…\"}}");
        RunTransitions machine = new RunTransitions(flow, Duration.ofMinutes(5),
                reference -> "nats-stream:BLOCK_RESULT/7".equals(reference) ? kept : null);
        Run run = machine.start(Run.pending("r1", flow, null, null, T0), T0, null);
        run = machine.onOutput(run, "trigger", 1, json("{\"body\": {}}"), null, T0);

        run = machine.onOutput(run, "reply", 1, null, "nats-stream:BLOCK_RESULT/7", T0);

        assertEquals(RunStatus.COMPLETED, run.status());
        assertEquals("nats-stream:BLOCK_RESULT/7", run.block("reply").outputRef());
        assertEquals("nats-stream:BLOCK_RESULT/7", run.outputRef(), "the record names the output, not a copy");
        assertEquals(null, run.output());
        Effect.Notify complete = run.outbox().stream().filter(Effect.Notify.class::isInstance)
                .map(Effect.Notify.class::cast).filter(notify -> notify.subject().endsWith(".complete"))
                .findFirst().orElseThrow();
        assertEquals(kept, complete.data().get("output"), "watchers get the output itself");
    }

    @Test
    void hookIsGivenTheWebhookRequestAndWhatItExpects() {
        WorkflowDefinition flow = definition("""
                {"name": "t", "blocks": [{"id": "trigger", "type": "hook",
                  "with": {"path": "deploy", "method": "POST",
                           "auth": {"type": "header", "header": "x-token", "secretName": "ci"}}}]}""");
        JsonNode request = json("""
                {"method": "POST", "path": "/hooks/deploy", "headers": {"x-token": "s3cret"}, "query": {}, "body": "{}"}""");
        Run run = Run.pending("r1", flow, null, request, T0);

        JsonNode parameters = machine(flow).parameters(run, "trigger");

        assertEquals("/hooks/deploy", parameters.get("path").asText());
        assertEquals("s3cret", parameters.get("headers").get("x-token").asText());
        assertEquals("header", parameters.get("expected").get("auth").get("type").asText());
        assertEquals("ci", parameters.get("expected").get("auth").get("secretName").asText());
    }

    @Test
    void hookOfARunStartedThroughTheApiGetsTheInputAsBodyAndNoAuth() {
        WorkflowDefinition flow = definition("""
                {"name": "t", "blocks": [{"id": "trigger", "type": "hook",
                  "with": {"path": "deploy", "auth": {"type": "header", "header": "x-token", "secretName": "ci"}}}]}""");
        Run run = Run.pending("r1", flow, json("{\"ref\": \"main\"}"), null, T0);

        JsonNode parameters = machine(flow).parameters(run, "trigger");

        assertEquals("/hooks/deploy", parameters.get("path").asText());
        assertEquals("{\"ref\":\"main\"}", parameters.get("body").asText());
        assertTrue(parameters.get("expected").path("auth").isMissingNode(), parameters.toString());
    }
}
