package io.ninetail.core.definition;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.ninetail.core.definition.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The list form beyond the founder's document: naming, repeated types, the original keys. */
class ListFormTest {

    @Test
    void callersNameWinsOverTheHookPath() {
        WorkflowDefinition definition = Fixtures.VALIDATOR.validate(json("""
                [{"type": "hook", "path": "test"}, {"type": "transform", "parameter": {"value": 1}}]"""), "my-flow")
                .definition().orElseThrow();

        assertEquals("my-flow", definition.name());
    }

    @Test
    void hookPathBecomesAUsableName() {
        WorkflowDefinition definition = Fixtures.VALIDATOR.validate(json("""
                [{"type": "hook", "path": "/Orders/New/"}]""")).definition().orElseThrow();

        assertEquals("orders-new", definition.name());
    }

    @Test
    void withoutHookOrNameTheWorkflowCannotBeNamed() {
        ValidationResult result = Fixtures.VALIDATOR.validate(json("""
                [{"type": "transform", "parameter": {"value": 1}}]"""));

        assertEquals(List.of(new Diagnostic("", "a list-form workflow needs a name: give one (the api's ?name=…),"
                + " or start it with a hook, whose path names it")), result.errors());
    }

    @Test
    void repeatedTypesGetNumberedIdsAndRepeatedTagsNumberedNames() {
        WorkflowDefinition definition = Fixtures.VALIDATOR.validate(json("""
                [{"type": "hook", "path": "two-pages"},
                 {"type": "fetch", "parameter": {"url": "https://example.com/a"}},
                 {"type": "html-scraper", "parameter": [{"tags": "h1"}, {"tags": "h1", "limit": 3}]},
                 {"type": "fetch", "parameter": {"url": "https://example.com/b"}},
                 {"type": "html-scraper", "parameter": [{"tags": "a", "attribute": "href", "all": true}]},
                 {"type": "response", "status": 201, "header": {"content-type": "html"}, "body": "<p>done</p>"}]"""))
                .definition().orElseThrow();

        assertEquals(json("""
                {"name": "two-pages", "blocks": [
                  {"id": "hook", "type": "hook", "with": {"path": "two-pages"}},
                  {"id": "fetch", "type": "fetch", "needs": ["hook"], "with": {"url": "https://example.com/a"}},
                  {"id": "html-scraper", "type": "html-scraper", "needs": ["fetch"],
                   "with": {"extract": {"h1": {"selector": "h1"}, "h1-2": {"selector": "h1", "limit": 3}}}},
                  {"id": "fetch-2", "type": "fetch", "needs": ["html-scraper"], "with": {"url": "https://example.com/b"}},
                  {"id": "html-scraper-2", "type": "html-scraper", "needs": ["fetch-2"],
                   "with": {"extract": {"a": {"selector": "a", "attribute": "href", "all": true}}}},
                  {"id": "response", "type": "response", "needs": ["html-scraper-2"],
                   "with": {"status": 201, "headers": {"content-type": "text/html; charset=utf-8"}, "body": "<p>done</p>"}}
                ]}"""), definition.toJson());
    }

    @Test
    void emptyBodyObjectAlsoMeansThePreviousOutput() {
        WorkflowDefinition definition = Fixtures.VALIDATOR.validate(json("""
                [{"type": "hook", "path": "p"}, {"type": "response", "body": {}}]""")).definition().orElseThrow();

        assertEquals(json("{}"), definition.block("response").orElseThrow().with().json());
    }
}
