package io.ninetail.response;

import io.ninetail.core.event.Event;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Input events as the scheduler sends them to the response function. */
final class ResponseEvents {

    private ResponseEvents() {
    }

    static String newRunId() {
        return "run-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Event input(String runId, String blockId, int attempt, String parametersJson) {
        return new Event("in-" + UUID.randomUUID(), "/ninetail/scheduler", "block.response.input",
                OffsetDateTime.now(ZoneOffset.UTC), runId, blockId, attempt,
                parametersJson.getBytes(StandardCharsets.UTF_8));
    }
}
