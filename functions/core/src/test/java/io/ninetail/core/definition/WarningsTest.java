package io.ninetail.core.definition;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.ninetail.core.definition.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What is allowed but probably unmeant comes back as a warning, with the definition. */
class WarningsTest {

    @Test
    void responseOutsideEveryHooksReachIsAWarningNotAnError() {
        ValidationResult result = Fixtures.VALIDATOR.validate(json("""
                {"name": "report", "blocks": [
                  {"id": "data", "type": "transform", "with": {"value": {"ok": true}}},
                  {"id": "reply", "type": "response", "needs": ["data"]}
                ]}"""));

        assertTrue(result.valid());
        assertEquals(List.of(new Diagnostic("/blocks/1", "response block 'reply' is not downstream of a hook:"
                + " no webhook caller waits for it; it only sets the run's output")), result.warnings());
    }

    @Test
    void responseBehindAHookThroughOtherBlocksIsNotWarnedAbout() {
        ValidationResult result = Fixtures.VALIDATOR.validate(json("""
                {"name": "report", "blocks": [
                  {"id": "in", "type": "hook", "with": {"path": "report"}},
                  {"id": "data", "type": "transform", "needs": ["in"], "with": {"value": 1}},
                  {"id": "more", "type": "transform", "with": {"value": 2}},
                  {"id": "reply", "type": "response", "needs": ["data", "more"]}
                ]}"""));

        assertEquals(List.of(), result.errors());
        assertEquals(List.of(), result.warnings());
    }

    @Test
    void oneHookPathMayServeTwoMethods() {
        ValidationResult result = Fixtures.VALIDATOR.validate(json("""
                {"name": "items", "blocks": [
                  {"id": "read", "type": "hook", "with": {"path": "items", "method": "GET"}},
                  {"id": "write", "type": "hook", "with": {"path": "items", "method": "POST"}}
                ]}"""));

        assertEquals(List.of(), result.errors());
    }
}
