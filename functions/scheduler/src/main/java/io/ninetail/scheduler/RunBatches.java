package io.ninetail.scheduler;

import io.ninetail.core.nats.DurableConsumer.Outcome;
import io.ninetail.core.run.Run;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Applies the events of a run that arrive while one of its writes is under way together: in one
 * compare-and-set and one send, instead of racing each other.
 *
 * <p>A fan-out's results come back within milliseconds of each other. Applied by concurrent
 * handlers each on its own, all but one compare-and-set fails in every round and is taken again
 * on the run read back, a run that grows with every output. Here the first handler of a run
 * becomes its writer: it applies its own event and then, batch by batch, whatever queued for the
 * run meanwhile, until nothing is left. The other handlers return at once; their messages are
 * settled when the batch that holds them has been written and sent. Between replicas the
 * compare-and-set still decides.
 */
final class RunBatches {

    /** One event's change to its run, and the outcome its message waits for. */
    private record Change(Function<Run, Run> change, CompletableFuture<Outcome> outcome) {
    }

    private final Map<String, ArrayDeque<Change>> queued = new ConcurrentHashMap<>();
    private final BiFunction<String, Function<Run, Run>, Outcome> write;

    /**
     * @param write applies one change to the run by compare-and-set and sends its outbox
     *              ({@link Scheduler#update}): null from the change means nothing to do, the
     *              same instance no change
     */
    RunBatches(BiFunction<String, Function<Run, Run>, Outcome> write) {
        this.write = write;
    }

    /** Applies {@code change} to run {@code runId}, alone or with others queued for that run. */
    CompletionStage<Outcome> apply(String runId, Function<Run, Run> change) {
        Change mine = new Change(change, new CompletableFuture<>());
        boolean[] writer = {false};
        queued.compute(runId, (id, queue) -> {
            if (queue == null) {
                queue = new ArrayDeque<>();
                writer[0] = true;
            }
            queue.add(mine);
            return queue;
        });
        if (writer[0]) {
            writeQueued(runId);
        }
        return mine.outcome();
    }

    /**
     * Runs {@code action} as the run's writer, and returns true, when no write of the run is under
     * way here; returns false, running nothing, when one is. Changes that arrive meanwhile queue
     * and are written after it, as usual. For a write that is not an event's (emptying an
     * outbox): a clustered nats-server before 2.9.21 may accept two compare-and-sets on the same
     * revision when both are in flight at once (nats-server issue #4320), so a replica never
     * sends two writes of one run at a time.
     */
    boolean whenIdle(String runId, Runnable action) {
        boolean[] claimed = {false};
        queued.computeIfAbsent(runId, id -> {
            claimed[0] = true;
            return new ArrayDeque<>();
        });
        if (!claimed[0]) {
            return false;
        }
        try {
            action.run();
        } finally {
            writeQueued(runId);
        }
        return true;
    }

    /** As the run's writer: batch by batch, whatever is queued for it, until nothing is and the writer steps down. */
    private void writeQueued(String runId) {
        for (List<Change> batch = take(runId); !batch.isEmpty(); batch = take(runId)) {
            write(runId, batch);
        }
    }

    /** For tests: runs with a writer at work. */
    int runsBeingWritten() {
        return queued.size();
    }

    /** Everything queued for the run; when nothing is, the writer steps down (atomically with the check). */
    private List<Change> take(String runId) {
        List<Change> batch = new ArrayList<>();
        queued.computeIfPresent(runId, (id, queue) -> {
            batch.addAll(queue);
            queue.clear();
            return batch.isEmpty() ? null : queue;
        });
        return batch;
    }

    /**
     * One write for the whole batch, each change applied to what the one before it left. A change
     * that throws fails its own message only (redelivered); the others are written without it.
     */
    private void write(String runId, List<Change> batch) {
        Map<Change, RuntimeException> failed = new IdentityHashMap<>();
        Outcome outcome;
        try {
            outcome = write.apply(runId, run -> {
                // Applied again after a lost compare-and-set: only the last application counts.
                failed.clear();
                Run state = run;
                for (Change change : batch) {
                    try {
                        Run next = change.change().apply(state);
                        if (next != null) {
                            state = next;
                        }
                    } catch (RuntimeException e) {
                        failed.put(change, e);
                    }
                }
                return state;
            });
        } catch (RuntimeException e) {
            batch.forEach(change -> change.outcome().completeExceptionally(e));
            return;
        }
        for (Change change : batch) {
            RuntimeException failure = failed.get(change);
            if (failure != null) {
                change.outcome().completeExceptionally(failure);
            } else {
                change.outcome().complete(outcome);
            }
        }
    }
}
