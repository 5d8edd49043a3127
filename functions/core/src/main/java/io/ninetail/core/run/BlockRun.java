package io.ninetail.core.run;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.ninetail.core.block.BlockError;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One block's state within a run.
 *
 * @param attempt       the current (or last) attempt, 0 before the first
 * @param nextAttemptAt while READY between attempts: when the next one is due
 * @param output        the output when COMPLETED and small enough to copy into the record
 * @param outputRef     where a larger output is kept (its result message, or the payload store:
 *                      {@link io.ninetail.core.nats.OutputStore})
 * @param error         the last error (also kept when {@code onError: continue} completed the block)
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BlockRun(String type, BlockStatus status, int attempt, Instant startedAt, Instant endedAt,
                       Instant nextAttemptAt, JsonNode output, String outputRef, BlockError error,
                       List<Attempt> attempts) {

    public BlockRun {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    public static BlockRun pending(String type) {
        return new BlockRun(type, BlockStatus.PENDING, 0, null, null, null, null, null, null, List.of());
    }

    public BlockRun withStatus(BlockStatus next, Instant at) {
        return new BlockRun(type, next, attempt, startedAt, next.finished() ? at : endedAt, null, output, outputRef,
                error, attempts);
    }

    public BlockRun dispatched(int number, Instant at) {
        List<Attempt> all = new ArrayList<>(attempts);
        all.add(new Attempt(number, at, null, null));
        return new BlockRun(type, BlockStatus.RUNNING, number, startedAt == null ? at : startedAt, null, null,
                null, null, error, all);
    }

    public BlockRun completed(JsonNode result, Instant at) {
        return new BlockRun(type, BlockStatus.COMPLETED, attempt, startedAt, at, null, result, null, error,
                endAttempt(at, null));
    }

    public BlockRun failedAttempt(BlockError failure, Instant at) {
        return new BlockRun(type, status, attempt, startedAt, endedAt, nextAttemptAt, output, outputRef, failure,
                endAttempt(at, failure));
    }

    public BlockRun waitingUntil(Instant due) {
        return new BlockRun(type, BlockStatus.READY, attempt, startedAt, null, due, null, null, error, attempts);
    }

    public BlockRun failed(Instant at) {
        return new BlockRun(type, BlockStatus.FAILED, attempt, startedAt, at, null, null, null, error, attempts);
    }

    /** The same block with the output its reference names, read back (for display). */
    public BlockRun withOutput(JsonNode value) {
        return new BlockRun(type, status, attempt, startedAt, endedAt, nextAttemptAt, value, null, error, attempts);
    }

    public BlockRun withOutputRef(String reference) {
        return new BlockRun(type, status, attempt, startedAt, endedAt, nextAttemptAt, null, reference, error, attempts);
    }

    private List<Attempt> endAttempt(Instant at, BlockError failure) {
        List<Attempt> all = new ArrayList<>(attempts);
        if (!all.isEmpty() && all.get(all.size() - 1).endedAt() == null) {
            all.set(all.size() - 1, all.get(all.size() - 1).end(at, failure));
        }
        return all;
    }
}
