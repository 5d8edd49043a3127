package io.ninetail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ninetail.core.definition.ValidationResult;
import io.ninetail.core.definition.WorkflowValidator;
import io.ninetail.testing.LocalHttpServer;

import java.nio.charset.StandardCharsets;

/**
 * The founder's workflow exactly as in the issue (examples/founder-list-form.json): hook → fetch →
 * html-scraper (h1, h2) → response, with the page it fetches served by a local site.
 */
final class Founder {

    static final String PAGE = """
            <!doctype html><html><head><title>Ninetail</title></head><body>
            <h1>Ninetail runs workflows</h1>
            <h2>On JetStream</h2><p>durable</p>
            <h2>On Knative</h2><p>scales to zero</p>
            </body></html>""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Founder() {
    }

    /** A site with the page at {@code /}, answering text/html. */
    static LocalHttpServer site() {
        return new LocalHttpServer().route("/", request -> LocalHttpServer.Reply.text(200, "text/html; charset=utf-8", PAGE));
    }

    /** The founder's document as a user registers it (list form, hook {@code POST /hooks/test}), fetching {@code url}. */
    static String document(String url) {
        return Repo.read(Repo.path("examples/founder-list-form.json")).replace("https://localhost:4000", url);
    }

    /** The founder's document with its URL pointed at {@code url}, in the object form a start event carries. */
    static JsonNode workflow(String url) {
        ValidationResult result = new WorkflowValidator().validate(document(url));
        if (!result.valid()) {
            throw new AssertionError("the founder's workflow is not valid: " + result.errors());
        }
        return result.definition().orElseThrow().toJson();
    }

    /** The data of a {@code workflow.start} event: the workflow and an empty input. */
    static byte[] start(String url) {
        ObjectNode data = JSON.createObjectNode();
        data.set("workflow", workflow(url));
        data.putObject("input");
        return data.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** What the response block answers: the scraped headings as JSON. */
    static void assertScraped(JsonNode body) {
        JsonNode expected;
        try {
            expected = JSON.readTree("""
                    {"h1": ["Ninetail runs workflows"], "h2": ["On JetStream", "On Knative"]}""");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (!expected.equals(body)) {
            throw new AssertionError("expected the scraped headings " + expected + ", got " + body);
        }
    }
}
