package io.ninetail.core.run;

/** A run's life (DESIGN §6): PENDING → RUNNING → COMPLETED | FAILED | CANCELLED. */
public enum RunStatus {
    PENDING, RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean finished() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
