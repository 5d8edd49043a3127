package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each document in {@code definitions/invalid.json} gets exactly the listed errors: the pointer
 * into the document as submitted and the message its author reads. Each is also checked
 * against the published JSON Schema: it rejects the document too, unless the case says the
 * schema "cannot tell" (ids, needs, cycles, jq, routes: what only the validator knows), and then
 * it must accept it, so that label stays honest.
 */
class InvalidDefinitionsTest {

    static Stream<Arguments> cases() {
        return table().stream().map(c -> Arguments.of(c.get("case").textValue(), c));
    }

    static List<JsonNode> table() {
        try (InputStream in = InvalidDefinitionsTest.class.getResourceAsStream("/definitions/invalid.json")) {
            List<JsonNode> cases = new ArrayList<>();
            Fixtures.JSON.readTree(in).forEach(cases::add);
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theTableHoldsAtLeastFortyDocuments() {
        assertTrue(table().size() >= 40, "only " + table().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void documentGetsExactlyTheExpectedErrors(String name, JsonNode testCase) {
        JsonNode document = testCase.get("document");
        List<Diagnostic> expected = new ArrayList<>();
        testCase.get("errors").forEach(e -> expected.add(new Diagnostic(e.get(0).textValue(), e.get(1).textValue())));

        ValidationResult result = Fixtures.VALIDATOR.validate(document);

        assertEquals(expected, result.errors());
        assertTrue(result.definition().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void publishedSchemaAgreesWhereItCanTell(String name, JsonNode testCase) {
        boolean beyondSchema = "cannot tell".equals(testCase.path("schema").asText());

        boolean schemaRejects = !SchemaValidation.validate(testCase.get("document")).isEmpty();

        if (beyondSchema) {
            assertFalse(schemaRejects, "the schema rejects it after all: " + SchemaValidation.validate(testCase.get("document")));
        } else {
            assertTrue(schemaRejects, "the schema accepts a document the validator rejects");
        }
    }

    @Test
    void errorsPointIntoTheSubmittedDocument() {
        for (JsonNode testCase : table()) {
            JsonNode document = testCase.get("document");
            for (Diagnostic error : Fixtures.VALIDATOR.validate(document).errors()) {
                assertFalse(document.at(error.pointer()).isMissingNode(),
                        testCase.get("case").textValue() + ": " + error.pointer() + " is not in the document");
            }
        }
    }
}
