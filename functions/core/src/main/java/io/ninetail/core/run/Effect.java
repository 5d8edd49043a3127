package io.ninetail.core.run;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * Something a transition decided to send. Effects are stored in the run's outbox together with
 * the state that caused them and sent only after that state is committed; each has a fixed id,
 * so sending one twice (after a crash, or by two replicas) is de-duplicated by JetStream.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Effect.Dispatch.class, name = "dispatch"),
        @JsonSubTypes.Type(value = Effect.Notify.class, name = "notify"),
        @JsonSubTypes.Type(value = Effect.StartTimer.class, name = "timer")})
public sealed interface Effect {

    /** Send attempt {@code attempt} of a block to its function, parameters resolved at send time. */
    @RegisterForReflection
    record Dispatch(String blockId, int attempt) implements Effect {
    }

    /** Publish a progress or run event on the WORKFLOW stream. */
    @RegisterForReflection
    record Notify(String subject, String id, String type, String blockId, int attempt, JsonNode data) implements Effect {
    }

    /** Wake the scheduler at {@code dueAt} (durably, through the SCHEDULER_TIMERS stream). */
    @RegisterForReflection
    record StartTimer(Timer timer) implements Effect {
    }
}
