package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a hook block is given: the request that started the run, and what the block expects of
 * it ({@code expected: {method, auth}} from its {@code with}). The hook function checks one
 * against the other.
 *
 * <p>A run started through the api (not a webhook) has no request: the hook is given one made
 * from the run input (method and path as the block declares them, the input as a JSON body) and
 * no authentication to check, because the api caller was already authenticated by its key.
 */
final class HookInput {

    private HookInput() {
    }

    static ObjectNode of(ObjectNode with, JsonNode trigger, JsonNode input) {
        ObjectNode expected = JsonNodeFactory.instance.objectNode();
        expected.put("method", with.path("method").asText("POST"));
        ObjectNode parameters = JsonNodeFactory.instance.objectNode();
        if (trigger != null && trigger.isObject()) {
            parameters.setAll((ObjectNode) trigger.deepCopy());
            if (with.has("auth")) {
                expected.set("auth", with.get("auth"));
            }
        } else {
            parameters.put("method", expected.get("method").asText());
            parameters.put("path", "/hooks/" + with.path("path").asText(""));
            parameters.putObject("headers").put("content-type", "application/json");
            parameters.putObject("query");
            parameters.put("body", input == null || input.isNull() ? "" : input.toString());
        }
        parameters.set("expected", expected);
        return parameters;
    }
}
