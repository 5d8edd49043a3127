package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

    @Test
    void oneValidatorServesManyThreadsAtOnce() throws Exception {
        List<JsonNode> documents = examples().stream().map(Fixtures::read).toList();
        List<WorkflowDefinition> expected = documents.stream().map(Fixtures::valid).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ValidationResult>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                JsonNode document = documents.get(i % documents.size());
                results.add(pool.submit(() -> Fixtures.VALIDATOR.validate(document)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals(expected.get(i % documents.size()), results.get(i).get().definition().orElseThrow());
            }
        } finally {
            pool.shutdownNow();
        }
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
