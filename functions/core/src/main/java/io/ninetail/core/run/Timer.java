package io.ninetail.core.run;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * A durable wake-up: a message in SCHEDULER_TIMERS that the scheduler holds back (negative
 * acknowledgement with delay) until {@code dueAt}, so a restart neither loses nor shortens it.
 *
 * @param blockId null for the run's own deadline
 * @param attempt for RETRY the attempt to start; for BLOCK_TIMEOUT the attempt that must have answered
 */
@RegisterForReflection
public record Timer(String runId, String blockId, int attempt, Kind kind, Instant dueAt) {

    public enum Kind {
        /** Start the next attempt of a block after its backoff. */
        RETRY,
        /** An attempt that has not answered by now has failed with TIMEOUT. */
        BLOCK_TIMEOUT,
        /** A run that has not finished by now has failed with TIMEOUT. */
        RUN_TIMEOUT
    }

    /** Fixed per timer, so starting it twice is de-duplicated. */
    public String id() {
        return runId + "." + (blockId == null ? "_run" : blockId) + "." + attempt + "." + kind.name().toLowerCase();
    }
}
