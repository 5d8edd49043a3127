package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ninetail.core.event.Event;
import io.ninetail.core.event.InvalidEventException;
import io.ninetail.core.event.NatsEventCodec;
import io.ninetail.core.nats.Subjects;
import io.ninetail.core.nats.Subjects.BlockAddress;
import io.ninetail.core.nats.Subjects.BlockLeg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CloudEvents the scheduler takes over HTTP in Knative mode, and the JetStream subject each one
 * belongs on: {@code block.<type>.output|error} (block results), {@code workflow.start} and
 * {@code workflow.cancel}. Binary mode (attributes in {@code ce-*} headers) and structured mode
 * ({@code application/cloudevents+json}) are both read.
 */
final class HttpEvents {

    static final String STRUCTURED = "application/cloudevents+json";

    /** An event and the subject it is stored on. */
    record Routed(String subject, Event event) {
    }

    private HttpEvents() {
    }

    /**
     * @param headers the request's headers (names in any case)
     * @throws InvalidEventException naming what is missing or not accepted
     */
    static Routed read(Map<String, List<String>> headers, byte[] body, ObjectMapper mapper) {
        Event event = isStructured(headers) ? structured(body, mapper) : NatsEventCodec.decode(headers, body);
        return new Routed(subject(event), event);
    }

    static String subject(Event event) {
        String type = event.type();
        if ("workflow.start".equals(type)) {
            return Subjects.workflowStart(runId(event));
        }
        if ("workflow.cancel".equals(type)) {
            return Subjects.workflowCancel(runId(event));
        }
        String[] tokens = type.split("\\.", -1);
        if (tokens.length == 3 && "block".equals(tokens[0])
                && (BlockLeg.OUTPUT.token().equals(tokens[2]) || BlockLeg.ERROR.token().equals(tokens[2]))) {
            if (event.blockId() == null) {
                throw new InvalidEventException("a " + type + " event needs the extension 'blockid'");
            }
            BlockLeg leg = BlockLeg.OUTPUT.token().equals(tokens[2]) ? BlockLeg.OUTPUT : BlockLeg.ERROR;
            try {
                return new BlockAddress(tokens[1], event.runId(), event.blockId()).subject(leg);
            } catch (IllegalArgumentException e) {
                throw new InvalidEventException(e.getMessage());
            }
        }
        throw new InvalidEventException("the scheduler takes block.<type>.output, block.<type>.error, workflow.start"
                + " and workflow.cancel events, not '" + type + "'");
    }

    private static String runId(Event event) {
        if (!Subjects.RUN_ID.matcher(event.runId()).matches()) {
            throw new InvalidEventException("runid '" + event.runId() + "' is not a run id");
        }
        return event.runId();
    }

    private static boolean isStructured(Map<String, List<String>> headers) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(NatsEventCodec.CONTENT_TYPE))
                .flatMap(e -> e.getValue().stream())
                .anyMatch(value -> value.toLowerCase().startsWith(STRUCTURED));
    }

    /** Structured mode: the attributes are the JSON object's members, the data its {@code data}. */
    private static Event structured(byte[] body, ObjectMapper mapper) {
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (IOException e) {
            throw new InvalidEventException("a structured-mode CloudEvent must be a JSON object");
        }
        if (json == null || !json.isObject()) {
            throw new InvalidEventException("a structured-mode CloudEvent must be a JSON object");
        }
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getKey().startsWith("data") && field.getValue().isValueNode() && !field.getValue().isNull()) {
                attributes.put("ce-" + field.getKey(), List.of(field.getValue().asText()));
            }
        }
        byte[] data;
        if (json.hasNonNull("data_base64")) {
            data = Base64.getDecoder().decode(json.get("data_base64").asText());
        } else if (json.has("data")) {
            JsonNode value = json.get("data");
            data = value.isTextual() ? value.asText().getBytes(StandardCharsets.UTF_8) : value.toString().getBytes(StandardCharsets.UTF_8);
        } else {
            data = new byte[0];
        }
        return NatsEventCodec.decode(attributes, data);
    }
}
