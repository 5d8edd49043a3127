package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Text that is not JSON, or JSON built to hurt, gets one clear error and costs little. */
class HostileInputTest {

    private static final WorkflowValidator VALIDATOR = Fixtures.VALIDATOR;

    @Test
    void textThatIsNotJsonIsReportedWithItsPosition() {
        ValidationResult result = VALIDATOR.validate("{\"name\": \"x\",}");

        assertEquals(List.of(new Diagnostic("/name", "not valid JSON: Unexpected character ('}' (code 125)):"
                + " was expecting double-quote to start field name (line 1, column 14)")), result.errors());
    }

    @Test
    void aRepeatedKeyIsAnErrorRatherThanAGuess() {
        ValidationResult result = VALIDATOR.validate("""
                {"name": "a", "name": "b", "blocks": [{"id": "x", "type": "transform", "with": {"value": 1}}]}""");

        assertEquals(List.of(new Diagnostic("/name", "not valid JSON: Duplicate field 'name' (line 1, column 21)")),
                result.errors());
    }

    @Test
    void textAfterTheDocumentIsAnError() {
        ValidationResult result = VALIDATOR.validate("""
                {"name": "x", "blocks": [{"id": "x", "type": "transform", "with": {"value": 1}}]} {}""");

        assertEquals(1, result.errors().size());
        assertEquals("", result.errors().get(0).pointer());
    }

    @Test
    void emptyTextIsAnError() {
        assertEquals(List.of(new Diagnostic("", "the document is empty")), VALIDATOR.validate("  ").errors());
        assertEquals(List.of(new Diagnostic("", "the document is empty")), VALIDATOR.validate((String) null).errors());
        assertEquals(List.of(new Diagnostic("", "the document is empty")), VALIDATOR.validate((JsonNode) null).errors());
    }

    @Test
    void deepNestingInTextIsRefusedWhileParsing() {
        String deep = "{\"name\": \"x\", \"blocks\": [{\"id\": \"a\", \"type\": \"transform\", \"with\": {\"value\": "
                + "[".repeat(100_000) + "]".repeat(100_000) + "}}]}";

        ValidationResult result = VALIDATOR.validate(deep);

        assertEquals(1, result.errors().size());
        assertEquals("the document nests objects and arrays deeper than 64 levels", result.errors().get(0).message());
    }

    @Test
    void deepNestingInATreeIsRefusedWithoutRecursion() {
        ObjectNode document = Fixtures.json("""
                {"name": "x", "blocks": [{"id": "a", "type": "transform", "with": {"value": null}}]}""").deepCopy();
        ArrayNode value = ((ObjectNode) document.at("/blocks/0/with")).putArray("value");
        for (int i = 0; i < 100_000; i++) {
            value = value.addArray();
        }

        ValidationResult result = VALIDATOR.validate(document);

        assertEquals(1, result.errors().size());
        assertEquals("the document nests objects and arrays deeper than 64 levels", result.errors().get(0).message());
    }

    @Test
    void aHugeStringIsRefusedWithItsPointer() {
        ObjectNode document = Fixtures.json("""
                {"name": "x", "blocks": [{"id": "a", "type": "transform", "with": {"value": null}}]}""").deepCopy();
        ((ObjectNode) document.at("/blocks/0/with")).put("value", "x".repeat(1_000_000));

        assertEquals(List.of(new Diagnostic("/blocks/0/with/value", "this string is longer than 65536 characters")),
                VALIDATOR.validate(document).errors());
        assertEquals(List.of(new Diagnostic("", "a string of the document is longer than 65536 characters")),
                VALIDATOR.validate(document.toString()).errors());
    }

    @Test
    void aDocumentOverOneMebibyteIsRefusedUnread() {
        byte[] big = ("[" + "{}, ".repeat(300_000) + "{}]").getBytes(StandardCharsets.UTF_8);

        assertEquals(List.of(new Diagnostic("", "the document is larger than 1048576 bytes")),
                VALIDATOR.validate(big).errors());
    }

    @Test
    void tooManyBlocksAreRefused() {
        ObjectNode document = JsonNodeFactory.instance.objectNode().put("name", "many");
        ArrayNode blocks = document.putArray("blocks");
        for (int i = 0; i < 501; i++) {
            blocks.addObject().put("id", "b" + i).put("type", "transform").putObject("with").put("value", i);
        }

        assertEquals(List.of(new Diagnostic("/blocks", "a workflow has at most 500 blocks, this one has 501")),
                VALIDATOR.validate(document).errors());
    }

    @Test
    void aLongChainOfBlocksIsFine() {
        ObjectNode document = JsonNodeFactory.instance.objectNode().put("name", "chain");
        ArrayNode blocks = document.putArray("blocks");
        for (int i = 0; i < 500; i++) {
            ObjectNode block = blocks.addObject().put("id", "b" + i).put("type", "transform");
            if (i > 0) {
                block.putArray("needs").add("b" + (i - 1));
            }
            block.putObject("with").put("value", "${ $input.n + " + i + " }");
        }

        assertEquals(List.of(), VALIDATOR.validate(document).errors());
    }

    @Test
    void aLongCycleIsNamedWholeWithoutRecursion() {
        ObjectNode document = JsonNodeFactory.instance.objectNode().put("name", "ring");
        ArrayNode blocks = document.putArray("blocks");
        for (int i = 0; i < 500; i++) {
            blocks.addObject().put("id", "b" + i).put("type", "transform")
                    .<ObjectNode>set("needs", JsonNodeFactory.instance.arrayNode().add("b" + ((i + 1) % 500)))
                    .putObject("with").put("value", i);
        }

        List<Diagnostic> errors = VALIDATOR.validate(document).errors();

        assertEquals(1, errors.size());
        assertEquals("/blocks/0/needs/0", errors.get(0).pointer());
        assertEquals(true, errors.get(0).message().startsWith("needs form a cycle: b0 → b1 → b2 → "));
        assertEquals(true, errors.get(0).message().endsWith("→ b498 → b499 → b0 (each block needs the next)"));
    }
}
