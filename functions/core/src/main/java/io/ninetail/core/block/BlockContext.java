package io.ninetail.core.block;

/** Where an execution belongs: the run, the block instance, the attempt and the input event. */
public record BlockContext(String runId, String blockId, int attempt, String eventId) {
}
