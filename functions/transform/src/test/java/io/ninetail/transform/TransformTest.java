package io.ninetail.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ninetail.core.block.BlockRunner;
import io.ninetail.core.event.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The block's logic, run by the same BlockRunner the triggers use, without a transport. */
class TransformTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BlockRunner RUNNER = new BlockRunner(new Transform(), JSON, Duration.ofSeconds(5));

    private static Event run(String parametersJson) {
        return RUNNER.run(TransformEvents.input("run-1", "shape", parametersJson)).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void theOutputIsTheValueItself() throws Exception {
        Event output = run("""
                {"value": {"title": "Today", "links": ["https://a.example/1", "https://a.example/2"],
                           "count": 2, "draft": false, "author": null}}""");
        assertEquals("block.transform.output", output.type());
        assertEquals(JSON.readTree("""
                {"title": "Today", "links": ["https://a.example/1", "https://a.example/2"],
                 "count": 2, "draft": false, "author": null}"""), JSON.readTree(output.data()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"just text\"", "42", "3.25", "true", "[1, \"two\", {\"three\": 3}]", "{}", "[]", "null"})
    void anyJsonValueIsAnOutput(String value) throws Exception {
        Event output = run("{\"value\": " + value + "}");
        assertEquals("block.transform.output", output.type());
        assertEquals(JSON.readTree(value), JSON.readTree(output.data()));
    }

    @Test
    void largeNumbersAndDeepNestingComeOutUnchanged() throws Exception {
        String value = "{\"id\": 12345678901234567890, \"price\": 0.1, \"a\": {\"b\": {\"c\": {\"d\": [[[\"e\"]]]}}}}";
        assertEquals(JSON.readTree(value), JSON.readTree(run("{\"value\": " + value + "}").data()));
    }

    @Test
    void aMissingValueIsAnInvalidParametersError() throws Exception {
        JsonNode error = JSON.readTree(run("{}").data());
        assertEquals("INVALID_PARAMETERS", error.get("code").asText());
        assertFalse(error.get("retryable").asBoolean());
        assertTrue(error.get("message").asText().startsWith("parameter 'value' is required"), error.toString());
    }

    @Test
    void anyOtherKeyIsRefusedNamingTheKnownOne() throws Exception {
        JsonNode error = JSON.readTree(run("{\"value\": 1, \"vaule\": 2}").data());
        assertEquals("INVALID_PARAMETERS", error.get("code").asText());
        assertEquals("unknown parameter 'vaule' (known: value)", error.get("message").asText());
    }
}
