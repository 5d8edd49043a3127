package io.ninetail.core.block.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ninetail.core.block.BlockRunner;
import io.ninetail.core.event.Event;
import io.ninetail.core.event.InvalidEventException;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventBuilder;
import io.smallrye.mutiny.Uni;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The Knative Events trigger: a {@code block.<type>.input} CloudEvent POSTed to the function
 * (binary or structured mode) is answered with the {@code block.<type>.output} or
 * {@code block.<type>.error} event. Which ce-type reaches this function is configuration:
 * {@code quarkus.funqy.knative-events.mapping.block.trigger}.
 */
public class KnativeTrigger {

    private final BlockRunner runner;
    private final ObjectMapper mapper;

    public KnativeTrigger(BlockRunner runner, ObjectMapper mapper) {
        this.runner = runner;
        this.mapper = mapper;
    }

    @Funq("block")
    public Uni<CloudEvent<JsonNode>> block(CloudEvent<JsonNode> input) {
        return runner.run(toEvent(input)).map(this::toCloudEvent);
    }

    private Event toEvent(CloudEvent<JsonNode> event) {
        Map<String, String> extensions = event.extensions() == null ? Map.of() : event.extensions();
        String runId = extensions.get("runid");
        if (runId == null || runId.isBlank()) {
            throw new InvalidEventException("CloudEvent extension 'runid' is missing");
        }
        try {
            return new Event(event.id(), event.source(), event.type(),
                    event.time() == null ? OffsetDateTime.now(ZoneOffset.UTC) : event.time(),
                    runId, extensions.get("blockid"), attempt(extensions.get("attempt")),
                    mapper.writeValueAsBytes(event.data() == null ? mapper.nullNode() : event.data()));
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("CloudEvent data is not JSON: " + e.getOriginalMessage());
        }
    }

    private CloudEvent<JsonNode> toCloudEvent(Event result) {
        JsonNode data;
        try {
            data = mapper.readTree(result.data());
        } catch (IOException e) {
            throw new IllegalStateException("a result event always carries JSON", e);
        }
        return CloudEventBuilder.create()
                .id(result.id())
                .source(result.source())
                .type(result.type())
                .time(result.time())
                .extensions(Map.of("runid", result.runId(), "blockid", result.blockId(),
                        "attempt", Integer.toString(result.attempt())))
                .build(data);
    }

    private static int attempt(String value) {
        try {
            return value == null ? 1 : Math.max(1, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw new InvalidEventException("CloudEvent extension 'attempt' must be a positive integer, was '" + value + "'");
        }
    }
}
