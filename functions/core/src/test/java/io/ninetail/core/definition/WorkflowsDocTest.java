package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/workflows.md shows what the code does: every workflow in a ```json block is valid, and
 * a ```json invalid block gets exactly the errors of the ```json block after it.
 */
class WorkflowsDocTest {

    private static final Pattern FENCE = Pattern.compile("```(json(?: invalid)?)\\n(.*?)\\n```", Pattern.DOTALL);

    record Snippet(String kind, String text) {
    }

    private static List<Snippet> snippets() throws IOException {
        String doc = Files.readString(Fixtures.repository().resolve("docs/workflows.md"));
        List<Snippet> snippets = new ArrayList<>();
        Matcher fence = FENCE.matcher(doc);
        while (fence.find()) {
            snippets.add(new Snippet(fence.group(1), fence.group(2)));
        }
        return snippets;
    }

    private static boolean isWorkflow(JsonNode json) {
        return json.has("blocks") || json.isArray() && json.size() > 0 && json.get(0).has("type");
    }

    @Test
    void everyWorkflowInTheDocsIsValid() throws IOException {
        int checked = 0;
        for (Snippet snippet : snippets()) {
            if (!snippet.kind().equals("json") || snippet.text().startsWith("\"")) {
                continue;
            }
            JsonNode json = Fixtures.json(snippet.text());
            if (isWorkflow(json)) {
                ValidationResult result = Fixtures.VALIDATOR.validate(json);
                assertEquals(List.of(), result.errors(), snippet.text());
                checked++;
            }
        }
        assertTrue(checked >= 5, "only " + checked + " workflows found in the docs");
    }

    @Test
    void rejectedWorkflowInTheDocsGetsTheErrorsShown() throws IOException {
        List<Snippet> snippets = snippets();
        int checked = 0;
        for (int i = 0; i < snippets.size(); i++) {
            if (snippets.get(i).kind().equals("json invalid")) {
                List<Diagnostic> shown = new ArrayList<>();
                Fixtures.json(snippets.get(i + 1).text()).get("errors").forEach(e ->
                        shown.add(new Diagnostic(e.get("pointer").textValue(), e.get("message").textValue())));
                assertEquals(shown, Fixtures.VALIDATOR.validate(Fixtures.json(snippets.get(i).text())).errors());
                checked++;
            }
        }
        assertEquals(1, checked);
    }

    @Test
    void founderDocumentInTheDocsMeansTheObjectFormShownAfterIt() throws IOException {
        List<Snippet> snippets = snippets();
        for (int i = 0; i < snippets.size() - 1; i++) {
            if (snippets.get(i).text().startsWith("[{\"type\":\"hook\",\"path\":\"test\"}")) {
                WorkflowDefinition listForm = Fixtures.VALIDATOR.validate(snippets.get(i).text()).definition().orElseThrow();
                assertEquals(Fixtures.json(snippets.get(i + 1).text()), listForm.toJson());
                return;
            }
        }
        throw new AssertionError("the founder's document is not in the docs");
    }
}
