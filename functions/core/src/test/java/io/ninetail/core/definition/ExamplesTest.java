package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every document in examples/ is a workflow both the validator and the published JSON Schema accept. */
class ExamplesTest {

    static List<Path> examples() {
        return Fixtures.examples();
    }

    @Test
    void thereAreExamplesOfEveryKind() {
        List<String> names = examples().stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(List.of("scrape-headlines.json", "fan-out-merge.json", "retry-flaky-api.json",
                "error-route.json", "conditional.json", "founder-list-form.json")), names::toString);
    }

    @ParameterizedTest
    @MethodSource("examples")
    void exampleIsValidWithoutWarnings(Path example) {
        ValidationResult result = Fixtures.VALIDATOR.validate(Fixtures.read(example));

        assertEquals(List.of(), result.errors());
        assertEquals(List.of(), result.warnings());
    }

    @ParameterizedTest
    @MethodSource("examples")
    void exampleIsValidAgainstThePublishedSchema(Path example) {
        assertEquals(Set.of(), SchemaValidation.validate(Fixtures.read(example)));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void exampleSurvivesTheRoundTripThroughItsCanonicalForm(Path example) {
        WorkflowDefinition definition = Fixtures.valid(Fixtures.read(example));

        JsonNode canonical = definition.toJson();

        assertEquals(definition, Fixtures.valid(canonical));
        assertEquals(Set.of(), SchemaValidation.validate(canonical));
    }
}
