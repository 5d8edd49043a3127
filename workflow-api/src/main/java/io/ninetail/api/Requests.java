package io.ninetail.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ninetail.core.definition.Diagnostic;

import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Reading request bodies and parameters, with a 400 problem for anything malformed. */
final class Requests {

    private Requests() {
    }

    /** The body as JSON; an empty body is null. */
    static JsonNode json(ObjectMapper mapper, byte[] body) {
        if (body == null || body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return null;
        }
        try {
            return mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw Problem.of(400, "invalid-json", "Invalid JSON", "the request body is not JSON: " + reason)
                    .with("errors", List.of(new Diagnostic("", "not JSON: " + reason))).exception();
        }
    }

    /** {@code ?wait=PT30S}: null when absent; at most {@code max}. */
    static Duration wait(String value, Duration max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Duration wait = Duration.parse(value.strip());
            if (wait.isNegative()) {
                throw invalidParameter("wait", "must not be negative, was '" + value + "'");
            }
            return wait.compareTo(max) > 0 ? max : wait;
        } catch (DateTimeParseException e) {
            throw invalidParameter("wait", "must be an ISO-8601 duration such as PT30S, was '" + value + "'");
        }
    }

    static ProblemException invalidParameter(String name, String message) {
        return Problem.of(400, "invalid-parameter", "Invalid parameter", "query parameter '" + name + "' " + message)
                .with("errors", List.of(Map.of("parameter", name, "message", message))).exception();
    }
}
