package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.ninetail.core.event.Event;
import io.ninetail.core.nats.Subjects;
import io.ninetail.testing.JetStreamProbe;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Starts runs the way the api does (a start event) and watches them the way a user would. */
final class RunDriver {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A started run and the subscription that sees everything about it. */
    record Started(String runId, Subscription events) {
    }

    /** What the run's final event said, and every event seen before it. */
    record Ended(String status, JsonNode data, List<String> subjects) {
    }

    private final JetStreamProbe nats;

    RunDriver(JetStreamProbe nats) {
        this.nats = nats;
    }

    Started start(String workflowJson, String inputJson) {
        String runId = "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Subscription events = nats.subscribe(Subjects.workflowAll(runId));
        String data = "{\"workflow\":" + workflowJson + ",\"input\":" + inputJson + "}";
        nats.publish(Subjects.workflowStart(runId), new Event(runId + ".start", "/test", "workflow.start",
                OffsetDateTime.now(ZoneOffset.UTC), runId, null, 1, data.getBytes(StandardCharsets.UTF_8)));
        return new Started(runId, events);
    }

    void cancel(String runId) {
        nats.publish(Subjects.workflowCancel(runId), new Event(runId + ".cancel", "/test", "workflow.cancel",
                OffsetDateTime.now(ZoneOffset.UTC), runId, null, 1, "{}".getBytes(StandardCharsets.UTF_8)));
    }

    /** Waits for the run's complete, failed or cancelled event. */
    Ended awaitEnd(Started run, Duration timeout) {
        List<String> seen = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Duration left = Duration.between(Instant.now(), deadline);
            Message message = JetStreamProbe.next(run.events(), left.isNegative() ? Duration.ofMillis(1) : left);
            seen.add(message.getSubject());
            String last = message.getSubject().substring(message.getSubject().lastIndexOf('.') + 1);
            if (List.of("complete", "failed", "cancelled").contains(last)
                    && message.getSubject().equals("workflow." + run.runId() + "." + last)) {
                try {
                    return new Ended(last, JSON.readTree(message.getData()), seen);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** Waits for a block's progress event in the given state (e.g. "running"). */
    void awaitBlock(Started run, String blockId, String state, Duration timeout) {
        String subject = Subjects.blockState(run.runId(), blockId, state);
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (JetStreamProbe.next(run.events(), left.isNegative() ? Duration.ofMillis(1) : left)
                    .getSubject().equals(subject)) {
                return;
            }
        }
    }
}
