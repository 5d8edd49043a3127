package io.ninetail.scheduler;

import io.ninetail.core.run.Effect;
import io.ninetail.core.run.Timer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The order in which an outbox is sent: what the next block waits for goes first. */
class EffectSenderOrderTest {

    @Test
    void blockInputsGoBeforeTheRunsEventsAndTimers() {
        Effect completed = new Effect.Notify("workflow.r.block.a.completed", "r.a.1.completed",
                "workflow.block.completed", "a", 1, null);
        Effect inputB = new Effect.Dispatch("b", 1);
        Effect runningB = new Effect.Notify("workflow.r.block.b.running", "r.b.1.running",
                "workflow.block.running", "b", 1, null);
        Effect inputC = new Effect.Dispatch("c", 1);
        Effect timer = new Effect.StartTimer(new Timer("r", Instant.parse("2026-11-26T12:00:00Z")));

        assertEquals(List.of(inputB, inputC, completed, runningB, timer),
                EffectSender.sendingOrder(List.of(completed, inputB, runningB, timer, inputC)));
    }
}
