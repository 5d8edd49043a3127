package io.ninetail.core.run;

/**
 * A block's life in a run: PENDING → RUNNING → COMPLETED | FAILED | SKIPPED | CANCELLED, and
 * READY between two attempts while it waits for its retry. (DESIGN §6 draws READY between PENDING
 * and RUNNING; a block whose needs are met is dispatched in the same write, so it never rests there.)
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
