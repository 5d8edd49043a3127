package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.ninetail.core.definition.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The founder's document, exactly as in the issue, keeps working and means what it always meant. */
class FounderListFormTest {

    static final String FOUNDER = """
            [{"type":"hook","path":"test"},
             {"type":"fetch","parameter":{"url":"https://localhost:4000"}},
             {"type":"html-scraper","parameter":[{"tags":"h1","limit":5},{"tags":"h2","limit":5}]},
             {"type":"response","header":[{"content-type":"json"}],"body":"{}"}]
            """;

    @Test
    void founderDocumentIsFourChainedBlocks() {
        ValidationResult result = Fixtures.VALIDATOR.validate(FOUNDER);

        assertEquals(List.of(), result.errors());
        assertEquals(List.of(), result.warnings());
        WorkflowDefinition definition = result.definition().orElseThrow();
        assertEquals("test", definition.name(), "named after its hook's path");
        assertEquals(List.of("hook", "fetch", "html-scraper", "response"),
                definition.blocks().stream().map(BlockDefinition::id).toList());
        assertEquals(List.of("hook", "fetch", "html-scraper", "response"),
                definition.blocks().stream().map(BlockDefinition::type).toList());
        assertEquals(List.of(List.of(), List.of("hook"), List.of("fetch"), List.of("html-scraper")),
                definition.blocks().stream().map(BlockDefinition::needs).toList());
    }

    @Test
    void founderDocumentTranslatesToTheObjectForm() {
        WorkflowDefinition definition = Fixtures.VALIDATOR.validate(FOUNDER).definition().orElseThrow();

        assertEquals(json("""
                {"name": "test", "blocks": [
                  {"id": "hook", "type": "hook", "with": {"path": "test"}},
                  {"id": "fetch", "type": "fetch", "needs": ["hook"], "with": {"url": "https://localhost:4000"}},
                  {"id": "html-scraper", "type": "html-scraper", "needs": ["fetch"],
                   "with": {"extract": {"h1": {"selector": "h1", "limit": 5}, "h2": {"selector": "h2", "limit": 5}}}},
                  {"id": "response", "type": "response", "needs": ["html-scraper"],
                   "with": {"headers": {"content-type": "application/json"}}}
                ]}
                """), definition.toJson());
    }

    @Test
    void scraperReadsTheFetchedPageAndResponseAnswersTheScrapedDataAsJson() {
        WorkflowDefinition definition = Fixtures.VALIDATOR.validate(FOUNDER).definition().orElseThrow();
        JsonNode fetched = json("""
                {"status": 200, "url": "https://localhost:4000", "body": "<h1>Hello</h1><h2>a</h2><h2>b</h2>"}
                """);
        JsonNode scraped = json("""
                {"h1": ["Hello"], "h2": ["a", "b"]}
                """);

        JsonNode scraperParameters = definition.block("html-scraper").orElseThrow().with()
                .resolve(EvaluationContext.of(Map.of("hook", json("{}"), "fetch", fetched), null, null));
        JsonNode responseParameters = definition.block("response").orElseThrow().with()
                .resolve(EvaluationContext.of(Map.of("hook", json("{}"), "fetch", fetched, "html-scraper", scraped), null, null));

        assertEquals(json("""
                {"extract": {"h1": {"selector": "h1", "limit": 5}, "h2": {"selector": "h2", "limit": 5}},
                 "html": "<h1>Hello</h1><h2>a</h2><h2>b</h2>",
                 "baseUrl": "https://localhost:4000"}
                """), scraperParameters);
        assertEquals(json("""
                {"headers": {"content-type": "application/json"}, "body": {"h1": ["Hello"], "h2": ["a", "b"]}}
                """), responseParameters);
    }

    @Test
    void translationIsItselfAValidObjectFormDocument() {
        WorkflowDefinition definition = Fixtures.VALIDATOR.validate(FOUNDER).definition().orElseThrow();

        ValidationResult again = Fixtures.VALIDATOR.validate(definition.toJson());

        assertTrue(again.valid(), () -> again.errors().toString());
        assertEquals(definition, again.definition().orElseThrow());
    }
}
