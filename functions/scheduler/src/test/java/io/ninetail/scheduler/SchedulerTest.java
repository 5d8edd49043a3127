package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Subscription;
import io.ninetail.core.block.BlockFailure;
import io.ninetail.core.event.Event;
import io.ninetail.core.nats.EventPublisher;
import io.ninetail.core.nats.NatsConnection;
import io.ninetail.core.nats.OutputStore;
import io.ninetail.core.nats.PayloadStore;
import io.ninetail.core.nats.Subjects.BlockAddress;
import io.ninetail.core.nats.Subjects;
import io.ninetail.core.nats.Topology;
import io.ninetail.core.run.Attempt;
import io.ninetail.core.run.BlockStatus;
import io.ninetail.core.run.Run;
import io.ninetail.core.run.RunStatus;
import io.ninetail.core.run.RunStore;
import io.ninetail.scheduler.RunDriver.Ended;
import io.ninetail.scheduler.RunDriver.Started;
import io.ninetail.scheduler.TestExecutor.Execution;
import io.ninetail.testing.JetStreamProbe;
import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scheduler against a real nats-server, with a test function for {@code transform} blocks
 * that can delay, fail, fail N times, never answer or answer big ({@link TestExecutor}).
 */
@QuarkusTest
@WithTestResource(NatsServerResource.class)
class SchedulerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestExecutor executor;
    private static JetStreamProbe nats;

    @ConfigProperty(name = "quarkus.messaging.nats.connection.servers")
    String natsUrl;
    @Inject
    EventPublisher publisher;
    @Inject
    RunStore store;
    @Inject
    OutputStore outputs;
    @Inject
    PayloadStore payloads;
    @Inject
    NatsConnection connection;
    @Inject
    ObjectMapper mapper;

    private RunDriver driver;

    @BeforeEach
    void connect() throws Exception {
        if (executor == null) {
            nats = new JetStreamProbe(natsUrl);
            executor = new TestExecutor(natsUrl, (subject, event) -> publisher.publish(subject, event).join());
        }
        driver = new RunDriver(nats);
    }

    @AfterAll
    static void stop() throws Exception {
        if (executor != null) {
            executor.close();
            nats.close();
        }
    }

    private static String workflow(String blocks) {
        return "{\"name\": \"test\", \"blocks\": [" + blocks + "]}";
    }

    private Run run(String runId) {
        return store.get(runId).orElseThrow().run();
    }

    @Test
    void linearChainRunsInOrderAndHandsOutputsOn() {
        Started run = driver.start(workflow("""
                {"id": "a", "type": "transform", "with": {"value": {"output": {"n": 1}}}},
                {"id": "b", "type": "transform", "needs": ["a"], "with": {"value": {"output": {"n": "${ .a.n + 1 }"}}}},
                {"id": "c", "type": "transform", "needs": ["b"], "with": {"value": {"output": {"sum": "${ .a.n + .b.n + $input.k }"}}}}
                """), "{\"k\": 10}");

        Ended end = driver.awaitEnd(run, WAIT);

        assertEquals("complete", end.status(), end.data().toString());
        assertEquals(13, end.data().get("output").get("c").get("sum").asInt(), "the leaf's output is the run's output");
        List<Execution> executions = executor.executions(run.runId());
        assertEquals(List.of("a", "b", "c"), executions.stream().map(Execution::blockId).toList());
        settledRevision(run.runId());
        Run stored = run(run.runId());
        assertEquals(RunStatus.COMPLETED, stored.status());
        stored.blocks().values().forEach(block -> assertEquals(BlockStatus.COMPLETED, block.status()));
        // The run's last events are sent before the outbox is emptied (sent first, then cleared):
        // the clearing write may land just after the complete event arrives.
        await("everything decided was sent").atMost(WAIT).until(() -> run(run.runId()).outbox().isEmpty());
    }

    @Test
    void aQuickRunsTimerIsAcknowledgedAtItsFirstDelivery() {
        assertTimerGoneWhenTheRunEnds("{}");
    }

    @Test
    void aTimerHeldBackForLaterIsDeletedWhenItsRunEnds() {
        // The block answers after the timer's first delivery, which holds it back for ten minutes.
        assertTimerGoneWhenTheRunEnds("{\"sleepMs\": 1500}");
    }

    /** A run of one block with a ten-minute timeout: its timer leaves the stream when it ends, not ten minutes later. */
    private void assertTimerGoneWhenTheRunEnds(String value) {
        Subscription timers = nats.subscribe("scheduler.timer.*");
        Started run = driver.start(workflow("""
                {"id": "a", "type": "transform", "timeout": "PT10M", "with": {"value": %s}}
                """.formatted(value)), "{}");
        String subject = Subjects.schedulerTimer(run.runId());
        while (!JetStreamProbe.next(timers, WAIT).getSubject().equals(subject)) {
            // another test's run
        }

        assertEquals("complete", driver.awaitEnd(run, WAIT).status());

        await("the ended run's timer out of " + Topology.SCHEDULER_TIMERS_STREAM).atMost(WAIT)
                .until(() -> nats.messagesOn(Topology.SCHEDULER_TIMERS_STREAM, subject) == 0);
    }

    @Test
    void diamondRunsTheFanOutInParallelAndTheJoinOnce() {
        Started run = driver.start(workflow("""
                {"id": "a", "type": "transform", "with": {"value": {"output": 1}}},
                {"id": "b", "type": "transform", "needs": ["a"], "with": {"value": {"sleepMs": 400, "output": "b"}}},
                {"id": "c", "type": "transform", "needs": ["a"], "with": {"value": {"sleepMs": 400, "output": "c"}}},
                {"id": "d", "type": "transform", "needs": ["a"], "with": {"value": {"sleepMs": 400, "output": "d"}}},
                {"id": "e", "type": "transform", "needs": ["b", "c", "d"], "with": {"value": {"output": ["${ .b }", "${ .c }", "${ .d }"]}}}
                """), "{}");

        Ended end = driver.awaitEnd(run, WAIT);

        assertEquals("complete", end.status(), end.data().toString());
        assertEquals("[\"b\",\"c\",\"d\"]", end.data().get("output").get("e").toString());
        List<Execution> fanOut = List.of("b", "c", "d").stream()
                .map(id -> executor.executions(run.runId(), id).get(0)).toList();
        var lastStart = fanOut.stream().map(Execution::startedAt).max(Comparator.naturalOrder()).orElseThrow();
        var firstEnd = fanOut.stream().map(Execution::endedAt).min(Comparator.naturalOrder()).orElseThrow();
        assertTrue(lastStart.isBefore(firstEnd), "b, c and d overlap in time: " + fanOut);
        assertEquals(1, executor.executions(run.runId(), "e").size(), "the join runs once");
    }

    @Test
    void retryableFailuresAreRetriedWithGrowingBackoff() {
        Started run = driver.start(workflow("""
                {"id": "flaky", "type": "transform",
                 "with": {"value": {"failAttempts": 3, "output": "finally"}},
                 "retry": {"maxAttempts": 4, "delay": "300ms", "multiplier": 2.0, "maxDelay": "5s"}}
                """), "{}");

        Ended end = driver.awaitEnd(run, WAIT);

        assertEquals("complete", end.status(), end.data().toString());
        assertEquals(List.of(1, 2, 3, 4), executor.executions(run.runId(), "flaky").stream()
                .map(Execution::attempt).toList());
        List<Attempt> attempts = run(run.runId()).block("flaky").attempts();
        assertEquals(4, attempts.size());
        // The scheduler's own times: from an attempt's error to the next attempt's dispatch. A wait is
        // never shorter than its backoff (a wake-up is not applied before it is due); late by less than
        // the backoff itself, it stays short of the next one, which a fixed or linear wait would not.
        for (int n = 1; n <= 3; n++) {
            long backoff = 300L << (n - 1);
            long waited = Duration.between(attempts.get(n - 1).endedAt(), attempts.get(n).startedAt()).toMillis();
            assertTrue(waited >= backoff && waited < 2 * backoff,
                    "wait " + n + " of 300 ms × 2^" + (n - 1) + " lies in [" + backoff + ", " + 2 * backoff + ") ms, was "
                            + waited + " (attempts " + attempts + ")");
        }
    }

    @Test
    void aNonRetryableErrorIsNotRetriedWhateverTheAttemptsLeft() {
        Started run = driver.start(workflow("""
                {"id": "broken", "type": "transform", "with": {"value": {"fail": "BROKEN"}},
                 "retry": {"maxAttempts": 3, "delay": "50ms"}}
                """), "{}");

        Ended end = driver.awaitEnd(run, WAIT);

        assertEquals("failed", end.status(), end.data().toString());
        assertEquals("BROKEN", end.data().get("error").get("code").asText());
        assertFalse(end.data().get("error").get("retryable").asBoolean());
        Run stored = run(run.runId());
        assertEquals(BlockStatus.FAILED, stored.block("broken").status());
        assertEquals(1, stored.block("broken").attempts().size());
        assertEquals(1, executor.executions(run.runId(), "broken").size(), "the function ran it once");
        assertFalse(end.subjects().contains(Subjects.blockState(run.runId(), "broken", "ready")),
                "never waited for a retry: " + end.subjects());
    }

    @Test
    void exhaustedRetriesFailTheRunWithTheLastError() {
        Started run = driver.start(workflow("""
                {"id": "flaky", "type": "transform", "with": {"value": {"failAttempts": 9}},
                 "retry": {"maxAttempts": 2, "delay": "50ms"}},
                {"id": "after", "type": "transform", "needs": ["flaky"], "with": {"value": 1}}
                """), "{}");

        Ended end = driver.awaitEnd(run, WAIT);

        assertEquals("failed", end.status());
        assertEquals("FLAKY", end.data().get("error").get("code").asText());
        assertEquals("block 'flaky' failed: attempt 2 failed", end.data().get("error").get("message").asText());
        assertEquals("flaky", end.data().get("error").get("details").get("blockId").asText());
        Run stored = run(run.runId());
        assertEquals(BlockStatus.FAILED, stored.block("flaky").status());
        assertEquals(BlockStatus.SKIPPED, stored.block("after").status());
    }

    @Test
    void errorRouteTakesOverAFailure() {
        Started run = driver.start(workflow("""
                {"id": "risky", "type": "transform", "with": {"value": {"fail": "BOOM"}}},
                {"id": "happy", "type": "transform", "needs": ["risky"], "with": {"value": 1}},
                {"id": "rescue", "type": "transform", "needs": ["risky"], "runIf": "failure",
                 "with": {"value": {"output": {"handled": "${ .risky.code }"}}}}
                """), "{}");

        Ended end = driver.awaitEnd(run, WAIT);

        assertEquals("complete", end.status(), end.data().toString());
        assertEquals("BOOM", end.data().get("output").get("rescue").get("handled").asText());
        assertEquals(BlockStatus.SKIPPED, run(run.runId()).block("happy").status());
    }

    @Test
    void onErrorContinueMakesTheErrorTheOutput() {
        Started run = driver.start(workflow("""
                {"id": "risky", "type": "transform", "with": {"value": {"fail": "NOPE"}}, "onError": "continue"},
                {"id": "next", "type": "transform", "needs": ["risky"], "with": {"value": {"output": "${ .risky.code }"}}}
                """), "{}");

        Ended end = driver.awaitEnd(run, WAIT);

        assertEquals("complete", end.status(), end.data().toString());
        assertEquals("NOPE", end.data().get("output").get("next").asText());
    }

    @Test
    void falseConditionSkipsTheBlockAndItsDependents() {
        Started run = driver.start(workflow("""
                {"id": "a", "type": "transform", "with": {"value": {"output": {"go": false}}}},
                {"id": "b", "type": "transform", "needs": ["a"], "if": "${ .a.go }", "with": {"value": 1}},
                {"id": "c", "type": "transform", "needs": ["b"], "with": {"value": 2}},
                {"id": "always", "type": "transform", "needs": ["c"], "runIf": "always", "with": {"value": 3}}
                """), "{}");

        Ended end = driver.awaitEnd(run, WAIT);

        assertEquals("complete", end.status(), end.data().toString());
        Run stored = run(run.runId());
        assertEquals(BlockStatus.SKIPPED, stored.block("b").status());
        assertEquals(BlockStatus.SKIPPED, stored.block("c").status());
        assertEquals(BlockStatus.COMPLETED, stored.block("always").status());
        assertEquals(List.of("a", "always"), executor.executions(run.runId()).stream().map(Execution::blockId).toList());
    }

    @Test
    void cancelStopsTheRunAndLateResultsChangeNothing() {
        Started run = driver.start(workflow("""
                {"id": "slow", "type": "transform", "with": {"value": {"never": true}}},
                {"id": "after", "type": "transform", "needs": ["slow"], "with": {"value": 1}}
                """), "{}");
        driver.awaitBlock(run, "slow", "running", WAIT);

        driver.cancel(run.runId());
        Ended end = driver.awaitEnd(run, WAIT);

        assertEquals("cancelled", end.status());
        Run stored = run(run.runId());
        assertEquals(BlockStatus.CANCELLED, stored.block("slow").status());
        assertEquals(BlockStatus.CANCELLED, stored.block("after").status());
        long revision = settledRevision(run.runId());

        publisher.publish("block.transform." + run.runId() + ".slow.output", new Event("late-1", "/test",
                "block.transform.output", OffsetDateTime.now(ZoneOffset.UTC), run.runId(), "slow", 1,
                "\"late\"".getBytes(StandardCharsets.UTF_8))).join();
        awaitResultsHandled();
        assertEquals(revision, store.get(run.runId()).orElseThrow().revision(), "the late result changed nothing");
    }

    @Test
    void duplicateResultForARecordedAttemptChangesNothing() {
        Started run = driver.start(workflow("""
                {"id": "a", "type": "transform", "with": {"value": {"output": "first"}}}
                """), "{}");
        assertEquals("complete", driver.awaitEnd(run, WAIT).status());
        long revision = settledRevision(run.runId());

        // Same attempt, new event id: JetStream cannot de-duplicate it, the scheduler must.
        publisher.publish("block.transform." + run.runId() + ".a.output", new Event("dup-1", "/test",
                "block.transform.output", OffsetDateTime.now(ZoneOffset.UTC), run.runId(), "a", 1,
                "\"second\"".getBytes(StandardCharsets.UTF_8))).join();
        awaitResultsHandled();

        assertEquals(revision, store.get(run.runId()).orElseThrow().revision());
        assertEquals("first", run(run.runId()).block("a").output().asText());
    }

    @Test
    void blockThatNeverAnswersTimesOutAfterItsAttempts() {
        Started run = driver.start(workflow("""
                {"id": "dead", "type": "transform", "with": {"value": {"never": true}}, "timeout": "300ms",
                 "retry": {"maxAttempts": 2, "delay": "50ms"}}
                """), "{}");

        Ended end = driver.awaitEnd(run, WAIT);

        assertEquals("failed", end.status());
        assertEquals("TIMEOUT", end.data().get("error").get("code").asText());
        assertEquals(2, executor.executions(run.runId(), "dead").size(), "each attempt was dispatched once");
        assertEquals(2, run(run.runId()).block("dead").attempts().size());
    }

    @Test
    void inputOfAFunctionThatDiedIsDeliveredAgainAndTheRunTimesOutWhenNoDeliveryAnswers() {
        Started run = driver.start(workflow("""
                {"id": "dead", "type": "transform", "with": {"value": {"diesDeliveries": %d}}, "timeout": "2500ms",
                 "retry": {"maxAttempts": 2, "delay": "50ms"}}
                """.formatted(TestExecutor.MAX_DELIVER)), "{}");

        Ended end = driver.awaitEnd(run, WAIT);

        assertEquals("failed", end.status(), end.data().toString());
        assertEquals("TIMEOUT", end.data().get("error").get("code").asText());
        assertEquals(2, run(run.runId()).block("dead").attempts().size());
        // JetStream knows nothing of the scheduler's attempts: it goes on delivering until max-deliver.
        for (int attempt : List.of(1, 2)) {
            await("attempt " + attempt + "'s input delivered " + TestExecutor.MAX_DELIVER + " times").atMost(WAIT)
                    .until(() -> deliveries(run.runId(), "dead", attempt),
                            equalTo(LongStream.rangeClosed(1, TestExecutor.MAX_DELIVER).boxed().toList()));
        }
        assertTrue(executor.executions(run.runId(), "dead").stream().allMatch(e -> e.endedAt() == null),
                "no delivery answered");
    }

    @Test
    void aRedeliveryWithinTheAttemptsTimeoutAnswersForTheFunctionThatDied() {
        // The attempt's timeout is longer than the consumer's ack-wait: the input comes back in time.
        Started run = driver.start(workflow("""
                {"id": "revived", "type": "transform", "with": {"value": {"diesDeliveries": 1, "output": "second try"}},
                 "timeout": "20s", "retry": {"maxAttempts": 3, "delay": "50ms"}}
                """), "{}");

        Ended end = driver.awaitEnd(run, WAIT);

        assertEquals("complete", end.status(), end.data().toString());
        assertEquals("second try", end.data().get("output").get("revived").asText());
        assertEquals(1, run(run.runId()).block("revived").attempts().size(), "no retry was needed");
        assertEquals(List.of(1L, 2L), deliveries(run.runId(), "revived", 1));
    }

    /** The delivery counts with which an attempt's input reached the function, in order. */
    private static List<Long> deliveries(String runId, String blockId, int attempt) {
        return executor.executions(runId, blockId).stream().filter(e -> e.attempt() == attempt)
                .map(Execution::delivery).toList();
    }

    @Test
    void aWorkflowsTimeoutEndsTheRunWithTimeoutAndCancelsWhatIsLeft() {
        // No block timeout of its own, so only the workflow's timeout (not the 1 h default) can end it.
        Started run = driver.start("""
                {"name": "test", "timeout": "1s", "blocks": [
                  {"id": "silent", "type": "transform", "with": {"value": {"never": true}}},
                  {"id": "after", "type": "transform", "needs": ["silent"], "with": {"value": 1}}]}""", "{}");

        Ended end = driver.awaitEnd(run, WAIT);

        assertEquals("failed", end.status(), end.data().toString());
        assertEquals("TIMEOUT", end.data().get("error").get("code").asText());
        Run stored = run(run.runId());
        assertEquals(RunStatus.FAILED, stored.status());
        assertEquals(stored.startedAt().plusSeconds(1), stored.deadline(), "the workflow's timeout is the deadline");
        assertFalse(stored.endedAt().isBefore(stored.deadline()), "ended at " + stored.endedAt());
        assertEquals(BlockStatus.CANCELLED, stored.block("silent").status());
        assertEquals(BlockStatus.CANCELLED, stored.block("after").status());
    }

    @Test
    void outputLargerThanOneMessagePassesThrough() {
        Started run = driver.start(workflow("""
                {"id": "big", "type": "transform", "with": {"value": {"bytes": 3000000}}},
                {"id": "size", "type": "transform", "needs": ["big"], "with": {"value": {"output": "${ .big.blob | length }"}}}
                """), "{}");

        Ended end = driver.awaitEnd(run, WAIT);

        assertEquals("complete", end.status(), end.data().toString());
        assertEquals(3000000, end.data().get("output").get("size").asInt());
        String reference = run(run.runId()).block("big").outputRef();
        assertTrue(reference.startsWith(OutputStore.RESULT_SCHEME), "the record names the result: " + reference);
        assertEquals(3000000, readBack(reference).get("blob").asText().length(),
                "read back through the result message, whose data is in the payload store");
    }

    @Test
    void anOutputOverTheInlineLimitIsNamedByItsResultMessageNotCopiedIntoTheRecord() throws Exception {
        Started run = driver.start(workflow("""
                {"id": "page", "type": "transform", "with": {"value": {"bytes": 20000}}},
                {"id": "size", "type": "transform", "needs": ["page"], "with": {"value": {"output": "${ .page.blob | length }"}}},
                {"id": "small", "type": "transform", "needs": ["size"], "with": {"value": {"output": "${ .size }"}}}
                """), "{}");

        Ended end = driver.awaitEnd(run, WAIT);

        assertEquals("complete", end.status(), end.data().toString());
        assertEquals(20000, end.data().get("output").get("small").asInt(), "the next block was given the output");
        settledRevision(run.runId());
        Run stored = run(run.runId());
        String reference = stored.block("page").outputRef();
        assertTrue(reference != null && reference.startsWith(OutputStore.RESULT_SCHEME), String.valueOf(reference));
        assertEquals(null, stored.block("page").output());
        assertEquals(20000, stored.block("small").output().asInt(), "a small output stays in the record");
        byte[] record = mapper.writeValueAsBytes(stored);
        assertTrue(record.length < 20000, "the record holds no copy of the page: " + record.length + " bytes");
        JsonNode read = readBack(reference);
        assertEquals(20000, read.get("blob").asText().length(), "a replica that did not see it reads it back");
    }

    @Test
    void aWorkQueueResultStreamOfAnOlderDeploymentHasLargeOutputsCopiedToThePayloadStore() {
        OutputStore workQueue = new OutputStore(connection, payloads) {
            @Override
            public boolean resultsKept() {
                return false;
            }
        };
        KeptOutputs kept = new KeptOutputs(workQueue, payloads, mapper, 1024, 0);
        BlockAddress address = new BlockAddress("transform", "r-old", "page");
        byte[] medium = ("{\"blob\": \"" + "x".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] large = ("{\"blob\": \"" + "x".repeat(40000) + "\"}").getBytes(StandardCharsets.UTF_8);

        assertEquals(null, kept.keep(null, address, 1, medium, null), "kept in the record, as before");
        String reference = kept.keep(null, address, 1, large, null);
        assertTrue(PayloadStore.isReference(reference), reference);
        assertEquals(40000, kept.get(reference).get("blob").asText().length());
    }

    @Test
    void anOutputNoLongerStoredIsTheReadingBlocksFailureNotAnEndlessRetry() {
        String gone = OutputStore.resultReference(Long.MAX_VALUE / 2);

        BlockFailure failure = assertThrows(BlockFailure.class, () -> readBack(gone));

        assertEquals(KeptOutputs.OUTPUT_GONE, failure.error().code());
        assertFalse(failure.error().retryable());
        assertTrue(failure.error().message().contains(gone), failure.error().message());
    }

    /** What a replica that never saw the output reads for its reference. */
    private JsonNode readBack(String reference) {
        return new KeptOutputs(outputs, payloads, mapper, 1024, 0).get(reference);
    }

    @Test
    void expressionThatFailsAtRunTimeFailsTheBlockWithExpression() {
        Started run = driver.start(workflow("""
                {"id": "a", "type": "transform", "with": {"value": {"output": "text"}}},
                {"id": "b", "type": "transform", "needs": ["a"], "with": {"value": "${ .a + 1 }"}}
                """), "{}");

        Ended end = driver.awaitEnd(run, WAIT);

        assertEquals("failed", end.status());
        JsonNode error = end.data().get("error");
        assertEquals("EXPRESSION", error.get("code").asText());
        assertTrue(error.get("message").asText().contains(".a + 1"), error.toString());
        assertEquals(0, executor.executions(run.runId(), "b").size(), "the function never saw it");
    }

    @Test
    void startWithAnInvalidWorkflowFailsTheRunAndSaysWhy() {
        Started run = driver.start("""
                {"name": "broken", "blocks": [{"id": "a", "type": "fetsh"}]}""", "{}");

        Ended end = driver.awaitEnd(run, WAIT);

        assertEquals("failed", end.status());
        assertEquals("INVALID_DEFINITION", end.data().get("error").get("code").asText());
        assertTrue(end.data().get("error").get("message").asText().contains("/blocks/0/type: "),
                end.data().toString());
    }

    @Test
    void aStartThatIsNoEventIsDroppedNotDeliveredForever() throws Exception {
        // Starts are delivered again until handled: one that can never be read must not stay.
        nats.connection().jetStream().publish("workflow.01NOTANEVENT0000000000000.start", "garbage".getBytes());

        await("garbage start acknowledged").atMost(WAIT).until(() -> {
            var consumer = nats.consumer(Topology.WORKFLOW_STREAM, "scheduler-start");
            return consumer.getNumPending() == 0 && consumer.getNumAckPending() == 0;
        });
        Started run = driver.start(workflow("{\"id\": \"a\", \"type\": \"transform\", \"with\": {\"value\": 1}}"), "{}");
        assertEquals("complete", driver.awaitEnd(run, WAIT).status());
    }

    @Test
    void aJoinStartsNoEarlierThanTheLastOfItsNeedsEnded() {
        // Results that arrive together are applied by concurrent handlers that retry their compare-and-set.
        List<Started> runs = java.util.stream.IntStream.range(0, 5).mapToObj(i -> driver.start(workflow("""
                {"id": "a", "type": "transform", "with": {"value": {"output": 1}}},
                {"id": "b", "type": "transform", "needs": ["a"], "with": {"value": {"output": "b"}}},
                {"id": "c", "type": "transform", "needs": ["a"], "with": {"value": {"output": "c"}}},
                {"id": "d", "type": "transform", "needs": ["a"], "with": {"value": {"output": "d"}}},
                {"id": "e", "type": "transform", "needs": ["a"], "with": {"value": {"output": "e"}}},
                {"id": "join", "type": "transform", "needs": ["b", "c", "d", "e"], "with": {"value": {"output": "j"}}}
                """), "{}")).toList();

        for (Started run : runs) {
            assertEquals("complete", driver.awaitEnd(run, WAIT).status());
            Run record = run(run.runId());
            var lastNeedEnded = List.of("b", "c", "d", "e").stream().map(id -> record.block(id).endedAt())
                    .max(Comparator.naturalOrder()).orElseThrow();
            var joined = record.block("join").startedAt();
            assertTrue(!joined.isBefore(lastNeedEnded), "run " + run.runId() + ": join started at " + joined
                    + ", before its last need ended at " + lastNeedEnded);
        }
    }

    /** The run's revision once its outbox is empty: the scheduler has nothing left to write. */
    private long settledRevision(String runId) {
        await("run " + runId + " settled").atMost(WAIT)
                .until(() -> store.get(runId).orElseThrow().run().outbox().isEmpty());
        return store.get(runId).orElseThrow().revision();
    }

    /** Nothing pending or unacknowledged on the scheduler's result consumer. */
    private static void awaitResultsHandled() {
        await("scheduler-results drained").atMost(WAIT).until(() -> {
            var consumer = nats.consumer(Topology.BLOCK_RESULT_STREAM, "scheduler-results");
            return consumer.getNumPending() == 0 && consumer.getNumAckPending() == 0;
        });
    }
}
