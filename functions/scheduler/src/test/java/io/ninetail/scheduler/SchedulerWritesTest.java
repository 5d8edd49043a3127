package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.nats.client.api.PublishAck;
import io.ninetail.core.definition.WorkflowDefinition;
import io.ninetail.core.event.Event;
import io.ninetail.core.nats.EventPublisher;
import io.ninetail.core.nats.Subjects;
import io.ninetail.core.nats.Topology;
import io.ninetail.core.definition.WorkflowValidator;
import io.ninetail.core.nats.DurableConsumer.Outcome;
import io.ninetail.core.run.Effect;
import io.ninetail.core.run.Run;
import io.ninetail.core.run.RunStatus;
import io.ninetail.core.run.RunStore;
import io.ninetail.core.run.RunStore.Versioned;
import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How the scheduler writes runs: from the run it last wrote when it can (one read less per
 * event), never deciding on a stale copy, and emptying outboxes without a write per event.
 */
@QuarkusTest
@WithTestResource(NatsServerResource.class)
class SchedulerWritesTest {

    private static final WorkflowDefinition ONE_BLOCK = new WorkflowValidator().validate("""
            {"name": "writes", "blocks": [{"id": "a", "type": "transform", "with": {"value": 1}}]}""")
            .definition().orElseThrow();

    @Inject
    Scheduler scheduler;
    @Inject
    RunStore store;
    @Inject
    RunCache cache;
    @Inject
    EventPublisher publisher;

    @Test
    void aStaleCopyNeverDecidesThatThereIsNothingToDo() throws Exception {
        Run pending = Run.pending(UUID.randomUUID().toString(), ONE_BLOCK, null, null, Instant.now());
        long first = store.create(pending);
        // This replica last saw the run PENDING; another writer has started it since.
        cache.wrote(new Versioned(pending, first));
        store.update(pending.started(Instant.now()), first);

        // PENDING: nothing to do. RUNNING: cancel it.
        Outcome outcome = scheduler.update(pending.runId(), run -> run.status() == RunStatus.PENDING ? run
                : run.finished(RunStatus.CANCELLED, null, null, Instant.now()));

        assertEquals(Outcome.ACK, outcome);
        assertEquals(RunStatus.CANCELLED, stored(pending.runId()).status(), "decided on the run as stored");
    }

    @Test
    void aWriteFromAStaleCopyIsTakenAgainFromTheStoredRun() throws Exception {
        Run pending = Run.pending(UUID.randomUUID().toString(), ONE_BLOCK, null, null, Instant.now());
        long first = store.create(pending);
        cache.wrote(new Versioned(pending, first));
        store.update(pending.started(Instant.now()), first);

        scheduler.update(pending.runId(), run -> run.status() == RunStatus.PENDING ? run.started(Instant.now())
                : run.finished(RunStatus.COMPLETED, null, null, Instant.now()));

        assertEquals(RunStatus.COMPLETED, stored(pending.runId()).status());
    }

    @Test
    void theNextWriteTakesTheSentOutboxAwayAndARestingRunIsEmptiedAlone() throws Exception {
        Run running = Run.pending(UUID.randomUUID().toString(), ONE_BLOCK, null, null, Instant.now())
                .started(Instant.now());
        store.create(running);

        scheduler.update(running.runId(), run -> run.with(notify(run, "first")));
        scheduler.update(running.runId(), run -> run.with(notify(run, "second")));

        // The second write did not carry the first's effect along: it was sent, and this replica knew it.
        List<Effect> outbox = stored(running.runId()).outbox();
        assertEquals(List.of("second"), outbox.stream().map(effect -> ((Effect.Notify) effect).id())
                .map(id -> id.substring(id.lastIndexOf('.') + 1)).toList());
        long revision = store.get(running.runId()).orElseThrow().revision();
        await("the resting run's outbox is emptied").atMost(Duration.ofSeconds(20))
                .until(() -> stored(running.runId()).outbox().isEmpty());
        assertEquals(revision + 1, store.get(running.runId()).orElseThrow().revision(), "by one write");
    }

    @Test
    void aStartSaysWhatTheApiWroteAndTheRunStartsFromIt() throws Exception {
        Run pending = Run.pending(UUID.randomUUID().toString(), ONE_BLOCK, null, null, Instant.now());
        long revision = store.create(pending);

        publisher.publish(Subjects.workflowStart(pending.runId()), new Event(pending.runId() + ".start", "/test",
                "workflow.start", OffsetDateTime.now(ZoneOffset.UTC), pending.runId(), null, 1, ("""
                {"workflow": %s, "pending": {"revision": %d, "createdAt": "%s"}}""")
                .formatted(ONE_BLOCK.toJson(), revision, pending.createdAt()).getBytes(StandardCharsets.UTF_8))).join();

        await("started").atMost(Duration.ofSeconds(20)).until(() -> stored(pending.runId()).status() != RunStatus.PENDING);
        assertEquals(pending.createdAt(), stored(pending.runId()).createdAt());
    }

    @Test
    void aStartWithAStaleRevisionStillStartsTheRunOnce() throws Exception {
        Run pending = Run.pending(UUID.randomUUID().toString(), ONE_BLOCK, null, null, Instant.now());
        long revision = store.create(pending);
        // Someone changed the record after the api wrote it: the guess is stale.
        store.update(pending, revision);

        publisher.publish(Subjects.workflowStart(pending.runId()), new Event(pending.runId() + ".start", "/test",
                "workflow.start", OffsetDateTime.now(ZoneOffset.UTC), pending.runId(), null, 1, ("""
                {"workflow": %s, "pending": {"revision": %d, "createdAt": "%s"}}""")
                .formatted(ONE_BLOCK.toJson(), revision, pending.createdAt()).getBytes(StandardCharsets.UTF_8))).join();

        await("started").atMost(Duration.ofSeconds(20)).until(() -> stored(pending.runId()).status() != RunStatus.PENDING);
    }

    @Test
    void aStartThatWroteNoRecordHasTheSchedulerCreateIt() throws Exception {
        Run pending = Run.pending(UUID.randomUUID().toString(), ONE_BLOCK, null, null, Instant.now());

        startSaying(pending, 0).join();

        await("created and started").atMost(Duration.ofSeconds(20)).until(() -> store.get(pending.runId())
                .map(stored -> stored.run().status() != RunStatus.PENDING).orElse(false));
        assertEquals(pending.createdAt(), stored(pending.runId()).createdAt(), "the api's time of the request");
    }

    @Test
    void aStartThatWroteNoRecordLeavesARecordThatExistsAsItIs() throws Exception {
        // As the api leaves a run whose start it could not publish (it may have been stored after all).
        Run failed = Run.pending(UUID.randomUUID().toString(), ONE_BLOCK, null, null, Instant.now())
                .finished(RunStatus.FAILED, null, null, Instant.now());
        long revision = store.create(failed);

        long sequence = startSaying(failed, 0).join().getSeqno();

        await("the start handled").atMost(Duration.ofSeconds(20)).until(() -> publisher.connection()
                .jetStreamManagement().getConsumerInfo(Topology.WORKFLOW_STREAM, "scheduler-start")
                .getAckFloor().getStreamSequence() >= sequence);
        assertEquals(revision, store.get(failed.runId()).orElseThrow().revision(), "not written again");
        assertEquals(RunStatus.FAILED, stored(failed.runId()).status());
    }

    private CompletableFuture<PublishAck> startSaying(Run pending, long revision) {
        return publisher.publish(Subjects.workflowStart(pending.runId()), new Event(pending.runId() + ".start", "/test",
                "workflow.start", OffsetDateTime.now(ZoneOffset.UTC), pending.runId(), null, 1, ("""
                {"workflow": %s, "pending": {"revision": %d, "createdAt": "%s"}}""")
                .formatted(ONE_BLOCK.toJson(), revision, pending.createdAt()).getBytes(StandardCharsets.UTF_8)));
    }

    private static Effect.Notify notify(Run run, String name) {
        return new Effect.Notify("workflow." + run.runId() + ".block.a.ready", run.runId() + ".test." + name,
                "workflow.block.ready", "a", 1, JsonNodeFactory.instance.objectNode());
    }

    private Run stored(String runId) {
        return store.get(runId).orElseThrow().run();
    }
}
