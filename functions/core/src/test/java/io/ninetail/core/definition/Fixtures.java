package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What the definition tests share: one validator, JSON in text blocks, the repository's files. */
final class Fixtures {

    static final ObjectMapper JSON = new ObjectMapper();
    static final WorkflowValidator VALIDATOR = new WorkflowValidator();

    private Fixtures() {
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The top of the repository: tests run in a module directory below it. */
    static Path repository() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("examples")) && Files.isRegularFile(dir.resolve("mvnw")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("not inside the repository: " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static List<Path> examples() {
        try (Stream<Path> files = Files.list(repository().resolve("examples"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static WorkflowDefinition valid(JsonNode document) {
        ValidationResult result = VALIDATOR.validate(document);
        if (!result.valid()) {
            throw new AssertionError("expected a valid workflow, got " + result.errors());
        }
        return result.definition().orElseThrow();
    }
}
