package io.ninetail.core.run;

/**
 * A block's life in a run (DESIGN §6): PENDING → READY → RUNNING → COMPLETED | FAILED |
 * SKIPPED | CANCELLED. READY is also where a block waits between attempts.
 */
public enum BlockStatus {
    PENDING, READY, RUNNING, COMPLETED, FAILED, SKIPPED, CANCELLED;

    public boolean finished() {
        return this == COMPLETED || this == FAILED || this == SKIPPED || this == CANCELLED;
    }

    /** The last token of the progress subject {@code workflow.<runId>.block.<blockId>.<state>}. */
    public String token() {
        return name().toLowerCase();
    }
}
