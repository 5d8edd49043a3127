package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ninetail.core.block.BlockError;
import io.ninetail.core.block.BlockFailure;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.ninetail.core.definition.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the scheduler resolves a block's parameters: jq against the ancestors' outputs, $input and $run. */
class ExpressionEvaluationTest {

    private static final JsonNode PAGE = json("""
            {"status": 200, "url": "https://example.com/news", "body": {"items": [{"id": 7, "title": "Hello"}, {"id": 8, "title": "World"}]}}""");
    private static final JsonNode INPUT = json("""
            {"city": "Oslo", "limit": 2}""");
    private static final JsonNode RUN = json("""
            {"id": "r-42", "workflow": "news", "startedAt": "2026-11-25T10:00:00Z"}""");
    private static final EvaluationContext CONTEXT = EvaluationContext.of(Map.of("page", PAGE), INPUT, RUN);

    /** The parameters of a transform block needing "page", written as {@code with}. */
    private static BlockParameters with(String with) {
        return Fixtures.valid(json("""
                {"name": "t", "blocks": [
                  {"id": "page", "type": "fetch", "with": {"url": "https://example.com/news"}},
                  {"id": "t", "type": "transform", "needs": ["page"], "with": %s}
                ]}""".formatted(with))).block("t").orElseThrow().with();
    }

    private static JsonNode value(String expression) {
        ObjectNode with = Fixtures.JSON.createObjectNode();
        with.put("value", expression);
        return with(with.toString()).resolve(CONTEXT).get("value");
    }

    @Test
    void wholeStringExpressionYieldsTheJsonValueItself() {
        assertEquals(json("[{\"id\": 7, \"title\": \"Hello\"}, {\"id\": 8, \"title\": \"World\"}]"), value("${ .page.body.items }"));
        assertEquals(json("200"), value("${ .page.status }"));
        assertEquals(json("true"), value("${ .page.status == 200 }"));
        assertEquals(json("null"), value("${ .page.missing }"));
    }

    @Test
    void blanksAroundASingleExpressionDoNotMakeItText() {
        assertEquals(json("200"), value("  ${ .page.status }  "));
    }

    @Test
    void expressionInsideTextIsInterpolatedAsText() {
        assertEquals(json("\"https://api.example.com/items/7?city=Oslo\""),
                value("https://api.example.com/items/${ .page.body.items[0].id }?city=${ $input.city }"));
        assertEquals(json("\"first: {\\\"id\\\":7,\\\"title\\\":\\\"Hello\\\"}, nothing: null\""),
                value("first: ${ .page.body.items[0] }, nothing: ${ .page.missing }"));
    }

    @Test
    void inputAndRunAreVariables() {
        assertEquals(json("[\"Hello\", \"World\"]"), value("${ [.page.body.items[:$input.limit][] | .title] }"));
        assertEquals(json("\"run r-42 of news\""), value("run ${ $run.id } of ${ $run.workflow }"));
    }

    @Test
    void expressionsInsideObjectsAndArraysAreResolvedAndLiteralsKept() {
        BlockParameters parameters = with("""
                {"value": {"title": "${ .page.body.items[1].title }", "fixed": [1, "two", {"three": 3}],
                           "list": ["${ $input.city }", "at ${ .page.url }"]}}""");

        assertEquals(json("""
                {"value": {"title": "World", "fixed": [1, "two", {"three": 3}],
                           "list": ["Oslo", "at https://example.com/news"]}}"""), parameters.resolve(CONTEXT));
    }

    @Test
    void jqBracesAndStringsInsideAnExpressionDoNotEndIt() {
        assertEquals(json("\"}\""), value("${ {a: \"}\"} | .a }"));
        assertEquals(json("\"x}y\""), value("${ \"x\\(\"}\")y\" }"));
    }

    @Test
    void doubledDollarWritesALiteralDollarBrace() {
        assertEquals(json("\"costs ${ price }\""), value("costs $${ price }"));
    }

    @Test
    void anExpressionWithoutResultIsNull() {
        assertEquals(json("null"), value("${ empty }"));
    }

    @Test
    void aRuntimeFailureIsANonRetryableExpressionErrorNamingTheExpression() {
        BlockParameters parameters = with("{\"value\": \"${ .page.body.items + 1 }\"}");

        BlockFailure failure = assertThrows(BlockFailure.class, () -> parameters.resolve(CONTEXT));

        assertEquals(BlockError.EXPRESSION, failure.error().code());
        assertFalse(failure.error().retryable());
        assertEquals("block 't', /blocks/1/with/value: expression ${ .page.body.items + 1 } failed:"
                + " array ([{\"id\":7,\"t...) and number (1) cannot be added",
                failure.error().message());
        assertEquals(Map.of("expression", "${ .page.body.items + 1 }", "blockId", "t", "pointer", "/blocks/1/with/value"),
                failure.error().details());
    }

    @Test
    void severalResultsAreAnErrorThatSaysHowToCollectThem() {
        BlockFailure failure = assertThrows(BlockFailure.class,
                () -> with("{\"value\": \"${ .page.body.items[] }\"}").resolve(CONTEXT));

        assertEquals("block 't', /blocks/1/with/value: expression ${ .page.body.items[] } failed: it produced more than"
                + " one value; collect them with [ … ] or pick one with first(…)", failure.error().message());
    }

    @Test
    void runawayRecursionIsAnExpressionErrorNotACrash() {
        BlockFailure failure = assertThrows(BlockFailure.class,
                () -> with("{\"value\": \"${ def f: 1 + f; f }\"}").resolve(CONTEXT));

        assertEquals(BlockError.EXPRESSION, failure.error().code());
        assertTrue(failure.error().message().endsWith("failed: it recursed too deeply"), failure.error().message());
    }

    @Test
    void expressionsCannotReadTheEnvironment() {
        assertThrows(BlockFailure.class, () -> value("${ $ENV.HOME }"));
        assertThrows(BlockFailure.class, () -> value("${ env.HOME }"));
    }

    @Test
    void conditionFollowsJqTruthBareOrWrapped() {
        WorkflowDefinition definition = Fixtures.valid(json("""
                {"name": "c", "blocks": [
                  {"id": "bare", "type": "transform", "if": "$input.limit > 1", "with": {"value": 1}},
                  {"id": "wrapped", "type": "transform", "if": "${ $input.city == \\"Bergen\\" }", "with": {"value": 1}},
                  {"id": "zero", "type": "transform", "if": "0", "with": {"value": 1}},
                  {"id": "nothing", "type": "transform", "if": "$input.nothing", "with": {"value": 1}}
                ]}"""));

        assertTrue(definition.block("bare").orElseThrow().condition().orElseThrow().test(CONTEXT));
        assertFalse(definition.block("wrapped").orElseThrow().condition().orElseThrow().test(CONTEXT));
        assertTrue(definition.block("zero").orElseThrow().condition().orElseThrow().test(CONTEXT), "0 is true in jq");
        assertFalse(definition.block("nothing").orElseThrow().condition().orElseThrow().test(CONTEXT), "null is false");
    }

    @Test
    void eachResolutionIsANewObjectAndTheContextIsNotChanged() {
        BlockParameters parameters = with("{\"value\": {\"items\": \"${ .page.body.items }\", \"fixed\": {\"a\": 1}}}");
        JsonNode before = PAGE.deepCopy();

        ObjectNode first = parameters.resolve(CONTEXT);
        ((ObjectNode) first.get("value").get("fixed")).put("a", 2);
        ((com.fasterxml.jackson.databind.node.ArrayNode) first.get("value").get("items")).removeAll();

        assertEquals(json("{\"a\": 1}"), parameters.resolve(CONTEXT).get("value").get("fixed"));
        assertEquals(before, PAGE);
    }

    @Test
    void responseWithSeveralNeedsAnswersTheirOutputsById() {
        BlockParameters reply = Fixtures.valid(json("""
                {"name": "two", "blocks": [
                  {"id": "in", "type": "hook", "with": {"path": "two"}},
                  {"id": "a", "type": "transform", "needs": ["in"], "with": {"value": 1}},
                  {"id": "b", "type": "transform", "needs": ["in"], "with": {"value": 2}},
                  {"id": "reply", "type": "response", "needs": ["a", "b"]}
                ]}""")).block("reply").orElseThrow().with();

        JsonNode resolved = reply.resolve(EvaluationContext.of(Map.of("in", json("{}"), "a", json("1"), "b", json("2")), null, null));

        assertEquals(json("{\"body\": {\"a\": 1, \"b\": 2}}"), resolved);
    }

    @Test
    void writtenPrimaryInputIsNotOverridden() {
        BlockParameters scraper = Fixtures.valid(json("""
                {"name": "s", "blocks": [
                  {"id": "page", "type": "fetch", "with": {"url": "https://example.com"}},
                  {"id": "s", "type": "html-scraper", "needs": ["page"],
                   "with": {"html": "${ .page.body.inner }", "extract": {"h": {"selector": "h1"}}}}
                ]}""")).block("s").orElseThrow().with();

        JsonNode resolved = scraper.resolve(EvaluationContext.of(
                Map.of("page", json("{\"url\": \"https://example.com\", \"body\": {\"inner\": \"<h1>x</h1>\"}}")), null, null));

        assertEquals(json("""
                {"html": "<h1>x</h1>", "extract": {"h": {"selector": "h1"}}, "baseUrl": "https://example.com"}"""), resolved);
    }

    @Test
    void compiledParametersAreSafeToResolveFromManyThreadsAtOnce() throws Exception {
        BlockParameters parameters = with("{\"value\": {\"n\": \"${ $input.n * 2 }\", \"s\": \"n=${ $input.n }\"}}");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<JsonNode>> results = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                EvaluationContext context = EvaluationContext.of(Map.of(), json("{\"n\": " + i + "}"), RUN);
                results.add(pool.submit(() -> parameters.resolve(context)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals(json("{\"value\": {\"n\": " + (2 * i) + ", \"s\": \"n=" + i + "\"}}"), results.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
