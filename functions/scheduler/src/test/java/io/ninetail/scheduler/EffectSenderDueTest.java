package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ninetail.core.definition.WorkflowDefinition;
import io.ninetail.core.definition.WorkflowValidator;
import io.ninetail.core.run.Effect;
import io.ninetail.core.run.Run;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which effects of an outbox sent again are still worth sending. */
class EffectSenderDueTest {

    private static final WorkflowDefinition ONE_BLOCK = new WorkflowValidator().validate("""
            {"name": "due", "blocks": [{"id": "a", "type": "transform", "with": {"value": 1}}]}""")
            .definition().orElseThrow();
    private static final Instant NOW = Instant.now();
    private final Run run = Run.pending("r", ONE_BLOCK, null, null, NOW).started(NOW);

    @Test
    void anInputIsDueWhileItsAttemptIsTheRunningOne() {
        Run secondAttempt = run.withBlock("a", run.block("a").dispatched(2, NOW));

        assertTrue(EffectSender.due(secondAttempt, new Effect.Dispatch("a", 2)));
        assertFalse(EffectSender.due(secondAttempt, new Effect.Dispatch("a", 1)), "a superseded attempt");
    }

    @Test
    void anInputOfABlockThatAnsweredIsNotDue() {
        Run answered = run.withBlock("a", run.block("a").dispatched(1, NOW)
                .completed(JsonNodeFactory.instance.numberNode(1), NOW));

        assertFalse(EffectSender.due(answered, new Effect.Dispatch("a", 1)));
        assertTrue(EffectSender.due(answered, new Effect.Notify("workflow.r.block.a.completed", "r.a.1.completed",
                "workflow.block.completed", "a", 1, null)), "events are always sent: their ids de-duplicate them");
    }
}
