package io.ninetail.transform;

import io.ninetail.core.event.Event;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Input events as the scheduler sends them to the transform function. */
final class TransformEvents {

    private TransformEvents() {
    }

    static String newRunId() {
        return "run-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Event input(String runId, String blockId, String parametersJson) {
        return new Event("in-" + UUID.randomUUID(), "/ninetail/scheduler", "block.transform.input",
                OffsetDateTime.now(ZoneOffset.UTC), runId, blockId, 1, parametersJson.getBytes(StandardCharsets.UTF_8));
    }
}
