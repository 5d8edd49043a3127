package io.ninetail.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ninetail.core.definition.ValidationResult;
import io.ninetail.core.definition.WorkflowDefinition;
import io.ninetail.core.definition.WorkflowValidator;
import io.ninetail.core.run.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run's record and start event carry the definition serialized once per workflow version, and
 * are byte for byte what they were when it was serialized on every run: the scheduler reads both.
 */
class CompiledWorkflowTest {

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123456Z");

    /** Every key a block may have, and text that JSON must escape or that is not ASCII. */
    private static final String HOOK_WITH_RESPONSE = """
            {"name": "orders", "description": "Café «prix» 😀 \\"quoted\\" back\\\\slash\\ttab\\u0001 </script>",
             "blocks": [
              {"id": "in", "type": "hook", "with": {"path": "orders/status", "method": "POST"}},
              {"id": "lookup", "type": "fetch", "needs": ["in"], "description": "ERP ✓",
               "if": ".in.body.orderId != null",
               "with": {"url": "https://erp.example.com/orders/${ .in.body.orderId }", "headers": {"accept": "application/json"}},
               "retry": {"maxAttempts": 3, "delay": "500ms", "multiplier": 1.5, "maxDelay": "8s"},
               "timeout": "30s", "onError": "continue"},
              {"id": "found", "type": "response", "needs": ["lookup"],
               "with": {"status": 200, "body": {"order": "${ .lookup.body }", "ratio": 0.1, "big": 12345678901234567890,
                        "list": [1, 2.50, true, null, "ü"]}}},
              {"id": "sorry", "type": "response", "needs": ["lookup"], "runIf": "failure",
               "with": {"status": 502, "body": "no answer: ${ .lookup.message }"}}]}
            """;
    private static final String LIST_FORM = """
            [{"type": "hook", "path": "listed"},
             {"type": "fetch", "parameter": {"url": "https://example.com/a"}},
             {"type": "html-scraper", "parameter": [{"tags": "h1", "limit": 5}]},
             {"type": "response", "header": [{"content-type": "json"}], "body": "{}"}]
            """;

    @ParameterizedTest
    @ValueSource(strings = {HOOK_WITH_RESPONSE, LIST_FORM})
    void thePendingRecordIsTheOneRunPendingMakes(String document) throws Exception {
        WorkflowDefinition definition = valid(document);
        CompiledWorkflow workflow = CompiledWorkflow.of(definition, JSON);
        JsonNode input = JSON.readTree("{\"orderId\": \"A-1\", \"note\": \"naïve 😀\"}");
        JsonNode trigger = JSON.readTree("{\"method\": \"POST\", \"path\": \"/orders/status\", \"headers\": {},"
                + " \"query\": {}, \"body\": \"{\\\"orderId\\\": \\\"A-1\\\"}\"}");

        String before = text(JSON.writeValueAsBytes(Run.pending("01RUN", definition, input, trigger, NOW)));
        String now = text(JSON.writeValueAsBytes(workflow.pending("01RUN", input, trigger, NOW)));

        assertEquals(before, now);
        assertEquals(definition.toJson(), JSON.readValue(now, Run.class).definition(), "read back as it was built");
    }

    @ParameterizedTest
    @ValueSource(strings = {HOOK_WITH_RESPONSE, LIST_FORM})
    void theStartEventCarriesTheDataItDidWhenTheDefinitionWasSerializedPerRun(String document) throws Exception {
        WorkflowDefinition definition = valid(document);
        CompiledWorkflow workflow = CompiledWorkflow.of(definition, JSON);
        JsonNode input = JSON.readTree("[1, \"two\"]");
        JsonNode trigger = JSON.readTree("{\"method\": \"GET\", \"body\": \"\"}");

        assertEquals(text(JSON.writeValueAsBytes(startDataAsItWas(definition, input, trigger))),
                text(JSON.writeValueAsBytes(Runs.startData(JSON, workflow, input, trigger, 7, NOW))));
        assertEquals(text(JSON.writeValueAsBytes(startDataAsItWas(definition, null, null))),
                text(JSON.writeValueAsBytes(Runs.startData(JSON, workflow, null, null, 7, NOW))));
    }

    @Test
    void theSerializedDefinitionIsSharedByRunsAndUnchangedByThem() throws Exception {
        CompiledWorkflow workflow = CompiledWorkflow.of(valid(HOOK_WITH_RESPONSE), JSON);
        String first = text(JSON.writeValueAsBytes(Runs.startData(JSON, workflow, null, null, 1, NOW)));

        ObjectNode data = Runs.startData(JSON, workflow, JSON.readTree("{}"), null, 2, NOW);
        data.put("changed", true);
        data.remove("workflow");

        assertTrue(workflow.serialized().isValueNode(), "a node nobody can change");
        assertEquals(first, text(JSON.writeValueAsBytes(Runs.startData(JSON, workflow, null, null, 1, NOW))));
    }

    @Test
    void aStoredVersionIsCompiledAndSerializedOnce() {
        CompiledWorkflows workflows = new CompiledWorkflows(JSON);
        WorkflowDefinition definition = valid(HOOK_WITH_RESPONSE);
        WorkflowStore.Stored v1 = new WorkflowStore.Stored("orders", 1, NOW, NOW, List.of(), definition.toJson());
        WorkflowStore.Stored v2 = new WorkflowStore.Stored("orders", 2, NOW, NOW.plusSeconds(1), List.of(),
                definition.toJson());

        CompiledWorkflow first = workflows.stored(v1);

        assertSame(first, workflows.stored(v1));
        assertNotSame(first, workflows.stored(v2));
        assertEquals(definition.toJson(), first.definition().toJson());
    }

    @Test
    void runsOfAStoredVersionNameItAndRecordsThatDoNotReadAsNamingNone() throws Exception {
        WorkflowDefinition definition = valid(HOOK_WITH_RESPONSE);
        CompiledWorkflow v3 = new CompiledWorkflows(JSON)
                .stored(new WorkflowStore.Stored("orders", 3, NOW, NOW, List.of(), definition.toJson()));

        byte[] record = JSON.writeValueAsBytes(v3.pending("01RUN", null, null, NOW));

        assertEquals(3, JSON.readValue(record, Run.class).workflowVersion());
        assertEquals(3, Runs.startData(JSON, v3, null, null, 1, NOW).path("workflowVersion").asInt(),
                "the scheduler, which writes the record from the start, learns it too");
        ObjectNode older = (ObjectNode) JSON.readTree(record);
        older.remove("workflowVersion");
        assertNull(JSON.readValue(JSON.writeValueAsBytes(older), Run.class).workflowVersion(),
                "a record written before runs named their version");
        assertFalse(JSON.readTree(JSON.writeValueAsBytes(CompiledWorkflow.of(definition, JSON)
                .pending("01RUN", null, null, NOW))).has("workflowVersion"), "an inline workflow has none");
    }

    /** How Runs built the start event's data before the definition's text was kept. */
    private static ObjectNode startDataAsItWas(WorkflowDefinition definition, JsonNode input, JsonNode trigger) {
        ObjectNode data = JSON.createObjectNode();
        data.set("workflow", definition.toJson());
        if (input != null) {
            data.set("input", input);
        }
        if (trigger != null) {
            data.set("trigger", trigger);
        }
        data.putObject("pending").put("revision", 7).put("createdAt", NOW.toString());
        return data;
    }

    private static WorkflowDefinition valid(String document) {
        ValidationResult result = new WorkflowValidator().validate(document, document.strip().startsWith("[")
                ? "listed" : null);
        return result.definition().orElseThrow(() -> new AssertionError(result.errors()));
    }

    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }
}
