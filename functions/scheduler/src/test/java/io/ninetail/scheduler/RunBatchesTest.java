package io.ninetail.scheduler;

import io.ninetail.core.definition.WorkflowDefinition;
import io.ninetail.core.definition.WorkflowValidator;
import io.ninetail.core.nats.DurableConsumer.Outcome;
import io.ninetail.core.run.Run;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batching alone, over a write that keeps runs in a list: what the scheduler's
 * compare-and-set loop would store, one write per call.
 */
class RunBatchesTest {

    private static final WorkflowDefinition FLOW = new WorkflowValidator().validate("""
            {"name": "batches", "blocks": [{"id": "a", "type": "transform", "with": {"value": 1}}]}""")
            .definition().orElseThrow();
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Each write: the workflow names the changes of one batch left on the run, in order. */
    private final List<String> writes = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstWriteMayEnd = new CountDownLatch(1);
    private final CountDownLatch firstWriteBegan = new CountDownLatch(1);

    private Outcome write(String runId, Function<Run, Run> change) {
        if (writes.isEmpty() && firstWriteBegan.getCount() > 0) {
            firstWriteBegan.countDown();
            await(firstWriteMayEnd);
        }
        Run after = change.apply(Run.pending(runId, FLOW, null, null, Instant.EPOCH));
        writes.add(runId + ":" + after.workflow());
        return Outcome.ACK;
    }

    /** Appends {@code mark} to the workflow name: the order the changes were applied in shows. */
    private static Function<Run, Run> mark(String mark) {
        return run -> new Run(run.runId(), run.workflow() + mark, run.workflowVersion(), run.definition(), run.input(),
                run.trigger(),
                run.status(), run.createdAt(), run.startedAt(), run.endedAt(), run.blocks(), run.output(),
                run.outputRef(), run.error(), run.deadline(), run.alarm(), run.outbox());
    }

    /** Starts r1's write of "-a" on another thread; returns once it is under way (held until firstWriteMayEnd). */
    private CompletableFuture<CompletionStage<Outcome>> writeUnderWay(RunBatches batches) throws InterruptedException {
        CompletableFuture<CompletionStage<Outcome>> write =
                CompletableFuture.supplyAsync(() -> batches.apply("r1", mark("-a")));
        assertTrue(firstWriteBegan.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        return write;
    }

    @Test
    void eventsThatArriveDuringAWriteAreAppliedTogetherInTheNextOne() throws Exception {
        RunBatches batches = new RunBatches(this::write);
        CompletableFuture<CompletionStage<Outcome>> first = writeUnderWay(batches);

        CompletionStage<Outcome> second = batches.apply("r1", mark("-b"));
        CompletionStage<Outcome> third = batches.apply("r1", mark("-c"));
        assertFalse(second.toCompletableFuture().isDone(), "queued behind the write under way, not written alone");
        firstWriteMayEnd.countDown();

        assertEquals(Outcome.ACK, first.get(WAIT.toSeconds(), TimeUnit.SECONDS).toCompletableFuture().get());
        assertEquals(Outcome.ACK, second.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(Outcome.ACK, third.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(List.of("r1:batches-a", "r1:batches-b-c"), writes);
        assertEquals(0, batches.runsBeingWritten(), "the writer stepped down when nothing was left");
    }

    @Test
    void anotherRunIsNotHeldUpByAWriteUnderWay() throws Exception {
        RunBatches batches = new RunBatches(this::write);
        CompletableFuture<CompletionStage<Outcome>> slow = writeUnderWay(batches);

        assertEquals(Outcome.ACK, batches.apply("r2", mark("-x")).toCompletableFuture().getNow(null),
                "written at once by its own caller");
        firstWriteMayEnd.countDown();
        slow.get(WAIT.toSeconds(), TimeUnit.SECONDS).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(List.of("r2:batches-x", "r1:batches-a"), writes);
    }

    @Test
    void aChangeThatThrowsFailsOnlyItsOwnMessage() throws Exception {
        RunBatches batches = new RunBatches(this::write);
        CompletableFuture<CompletionStage<Outcome>> first = writeUnderWay(batches);
        CompletionStage<Outcome> broken = batches.apply("r1", run -> {
            throw new IllegalStateException("a bug in one transition");
        });
        CompletionStage<Outcome> fine = batches.apply("r1", mark("-c"));
        firstWriteMayEnd.countDown();
        first.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> broken.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("a bug in one transition", failure.getCause().getMessage());
        assertEquals(Outcome.ACK, fine.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(List.of("r1:batches-a", "r1:batches-c"), writes);
    }

    /**
     * Emptying an outbox is a write of its own: never sent while an event's write of the run is
     * in flight (a clustered nats-server before 2.9.21 could accept both on the same revision), and
     * events that arrive meanwhile wait for it.
     */
    @Test
    void aWriteOfItsOwnRunsOnlyWhileNoWriteOfTheRunIsUnderWay() throws Exception {
        RunBatches batches = new RunBatches(this::write);
        CompletableFuture<CompletionStage<Outcome>> first = writeUnderWay(batches);

        List<String> alone = new CopyOnWriteArrayList<>();
        assertFalse(batches.whenIdle("r1", () -> alone.add("cleared")), "r1 is being written");
        assertTrue(batches.whenIdle("r2", () -> alone.add("r2 cleared")), "nothing writes r2");
        firstWriteMayEnd.countDown();
        first.get(WAIT.toSeconds(), TimeUnit.SECONDS).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(List.of("r2 cleared"), alone);

        CountDownLatch clearing = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        CompletableFuture<Boolean> clear = CompletableFuture.supplyAsync(() -> batches.whenIdle("r1", () -> {
            clearing.countDown();
            await(mayFinish);
            alone.add("r1 cleared");
        }));
        assertTrue(clearing.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        CompletionStage<Outcome> during = batches.apply("r1", mark("-b"));
        assertFalse(during.toCompletableFuture().isDone(), "an event waits for the write under way");
        mayFinish.countDown();

        assertTrue(clear.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(Outcome.ACK, during.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(List.of("r2 cleared", "r1 cleared"), alone);
        assertEquals(List.of("r1:batches-a", "r1:batches-b"), writes, "the event written after the clear");
        assertEquals(0, batches.runsBeingWritten());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the test never let the first write end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
