package io.ninetail.core.run;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * A durable wake-up of one run: a message in SCHEDULER_TIMERS that the scheduler holds back
 * (negative acknowledgement with delay) until {@code dueAt}, so a restart neither loses nor
 * shortens it. When it comes due, everything of the run that is due by then is done: the run's
 * deadline, blocks' timeouts, retries after their backoff.
 *
 * <p>A run has one pending at a time in the usual case, for its earliest due time
 * ({@link Run#alarm()}), rather than one per block and one for the run: most runs finish long
 * before any of their deadlines, and each timer costs a publish, a delivery, a held-back
 * acknowledgement and a late delivery.
 */
@RegisterForReflection
public record Timer(String runId, Instant dueAt) {

    /** Fixed per run and due time, so starting it twice is de-duplicated. */
    public String id() {
        return runId + ".wake." + dueAt.toEpochMilli();
    }
}
