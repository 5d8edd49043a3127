package io.ninetail.core.definition;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded random damage to valid documents: wrong types, missing and extra keys, deep nesting,
 * huge strings, unicode, broken jq, broken bytes. Whatever comes in, a validation result comes
 * out, whose pointers all lead into the document as submitted; and whatever is accepted
 * survives the round trip through its canonical form.
 */
class DefinitionFuzzTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Reproduce or widen a run: {@code -Dninetail.fuzz.seed=… -Dninetail.fuzz.documents=…}. */
    private static final long SEED = Long.getLong("ninetail.fuzz.seed", 20261125L);
    private static final int DOCUMENTS = Integer.getInteger("ninetail.fuzz.documents", 2_000);
    private static final String[] WORDS = {"id", "type", "needs", "with", "if", "runIf", "retry", "timeout", "onError",
            "name", "blocks", "url", "method", "extract", "selector", "path", "parameter", "tags", "header", "body",
            "value", "status", "limit", "maxAttempts", "delay", "fetch", "hook", "response", "transform", "html-scraper",
            "failure", "always", "continue", "PT10S", "10s", "${ .a }", "${", "}", "a", "b", "trigger", "page"};
    private static final String[] STRANGE = {"", " ", "é", "日本語", "🦊🦊", "\u0000", "\u202eabc", "a\u0301", "\ud800",
            "~1/", "/~0", "${ .a..b }", "${ $input.x } and ${ .y", "$${ x }", "${ \"}\" }", "${ {a:1} }", "PT0S", "-1s",
            "https://example.com/${ .a }", "ftp://x", "h1[", "::", "a → b", "\\(x)", "null", "true", "1e309"};

    private final Random random = new Random(SEED);

    @Test
    void anyDamageYieldsAValidationResultPointingIntoTheDocument() {
        List<JsonNode> seeds = seeds();
        int accepted = 0;
        for (int i = 0; i < DOCUMENTS; i++) {
            JsonNode document = seeds.get(random.nextInt(seeds.size())).deepCopy();
            int damages = 1 + random.nextInt(3);
            for (int d = 0; d < damages; d++) {
                document = damage(document);
            }
            ValidationResult result = validate(document, i);
            checkPointers(document, result, i);
            if (result.valid()) {
                accepted++;
                checkRoundTrip(result.definition().orElseThrow(), i);
            }
            if (i % 4 == 0) {
                validate(damageBytes(document.toString().getBytes(StandardCharsets.UTF_8)), i);
            }
        }
        // Damage is sometimes harmless (a description changed, a key removed that had a default):
        // the property must have been tried on both sides.
        assertFalse(accepted == 0 || accepted == DOCUMENTS, "accepted " + accepted + " of " + DOCUMENTS);
    }

    private static List<JsonNode> seeds() {
        List<JsonNode> seeds = new ArrayList<>();
        Fixtures.examples().forEach(example -> seeds.add(Fixtures.read(example)));
        seeds.add(Fixtures.json(FounderListFormTest.FOUNDER));
        return seeds;
    }

    private ValidationResult validate(JsonNode document, int attempt) {
        ValidationResult result = Fixtures.VALIDATOR.validate(document);
        checkNoInternalError(result, attempt, document.toString());
        return result;
    }

    private ValidationResult validate(byte[] bytes, int attempt) {
        ValidationResult result = Fixtures.VALIDATOR.validate(bytes);
        checkNoInternalError(result, attempt, new String(bytes, StandardCharsets.UTF_8));
        return result;
    }

    private static void checkNoInternalError(ValidationResult result, int attempt, String document) {
        for (Diagnostic error : result.errors()) {
            if (error.message().contains("internal error")) {
                fail("document " + attempt + " (seed " + SEED + "): " + error.message() + "\n" + excerpt(document));
            }
        }
    }

    private static void checkPointers(JsonNode document, ValidationResult result, int attempt) {
        List<Diagnostic> all = new ArrayList<>(result.errors());
        all.addAll(result.warnings());
        for (Diagnostic diagnostic : all) {
            JsonPointer pointer = JsonPointer.compile(diagnostic.pointer());
            if (document.at(pointer).isMissingNode()) {
                fail("document " + attempt + " (seed " + SEED + "): " + diagnostic + " points at nothing in\n"
                        + excerpt(document.toString()));
            }
        }
    }

    private static void checkRoundTrip(WorkflowDefinition definition, int attempt) {
        ValidationResult again = Fixtures.VALIDATOR.validate(definition.toJson());
        assertEquals(List.of(), again.errors(), "document " + attempt + ": canonical form rejected");
        assertEquals(definition, again.definition().orElseThrow(), "document " + attempt + ": round trip changed it");
    }

    // --- damage ---------------------------------------------------------------------------

    private JsonNode damage(JsonNode document) {
        if (!document.isContainerNode()) {
            return random.nextBoolean() ? randomValue(0) : NODES.arrayNode().add(document);
        }
        List<JsonPointer> containers = containers(document);
        JsonPointer target = containers.get(random.nextInt(containers.size()));
        JsonNode container = document.at(target);
        switch (random.nextInt(6)) {
            case 0 -> replaceChild(container);
            case 1 -> removeChild(container);
            case 2 -> addChild(container);
            case 3 -> duplicateChild(container);
            case 4 -> renameKey(container);
            default -> {
                if (random.nextInt(20) == 0) {
                    return randomValue(0);
                }
                replaceChild(container);
            }
        }
        return document;
    }

    private void replaceChild(JsonNode container) {
        if (container.isObject() && container.size() > 0) {
            List<String> keys = new ArrayList<>();
            container.fieldNames().forEachRemaining(keys::add);
            ((ObjectNode) container).set(keys.get(random.nextInt(keys.size())), randomValue(0));
        } else if (container.isArray() && container.size() > 0) {
            ((ArrayNode) container).set(random.nextInt(container.size()), randomValue(0));
        }
    }

    private void removeChild(JsonNode container) {
        if (container.isObject() && container.size() > 0) {
            List<String> keys = new ArrayList<>();
            container.fieldNames().forEachRemaining(keys::add);
            ((ObjectNode) container).remove(keys.get(random.nextInt(keys.size())));
        } else if (container.isArray() && container.size() > 0) {
            ((ArrayNode) container).remove(random.nextInt(container.size()));
        }
    }

    private void addChild(JsonNode container) {
        if (container.isObject()) {
            ((ObjectNode) container).set(randomKey(), randomValue(0));
        } else {
            ((ArrayNode) container).insert(random.nextInt(container.size() + 1), randomValue(0));
        }
    }

    private void duplicateChild(JsonNode container) {
        if (container.isArray() && container.size() > 0) {
            ((ArrayNode) container).add(container.get(random.nextInt(container.size())).deepCopy());
        } else {
            addChild(container);
        }
    }

    private void renameKey(JsonNode container) {
        if (container.isObject() && container.size() > 0) {
            List<String> keys = new ArrayList<>();
            container.fieldNames().forEachRemaining(keys::add);
            String key = keys.get(random.nextInt(keys.size()));
            JsonNode value = ((ObjectNode) container).remove(key);
            ((ObjectNode) container).set(typo(key), value);
        }
    }

    private String typo(String word) {
        if (word.isEmpty()) {
            return "x";
        }
        StringBuilder typo = new StringBuilder(word);
        int at = random.nextInt(word.length());
        switch (random.nextInt(3)) {
            case 0 -> typo.deleteCharAt(at);
            case 1 -> typo.insert(at, (char) ('a' + random.nextInt(26)));
            default -> typo.setCharAt(at, Character.toUpperCase(typo.charAt(at)));
        }
        return typo.toString();
    }

    private String randomKey() {
        return random.nextBoolean() ? WORDS[random.nextInt(WORDS.length)] : STRANGE[random.nextInt(STRANGE.length)];
    }

    private JsonNode randomValue(int depth) {
        int kind = random.nextInt(depth > 3 ? 9 : 13);
        return switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextInt(201) - 100);
            case 3 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 10));
            case 4, 5 -> NODES.textNode(WORDS[random.nextInt(WORDS.length)]);
            case 6, 7 -> NODES.textNode(STRANGE[random.nextInt(STRANGE.length)]);
            case 8 -> NODES.textNode(random.nextInt(10) == 0 ? "x".repeat(70_000) : "y".repeat(random.nextInt(300)));
            case 9 -> nested(10 + random.nextInt(120));
            case 10 -> {
                ArrayNode array = NODES.arrayNode();
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    array.add(randomValue(depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    object.set(randomKey(), randomValue(depth + 1));
                }
                yield object;
            }
        };
    }

    private JsonNode nested(int levels) {
        JsonNode value = NODES.textNode("bottom");
        for (int i = 0; i < levels; i++) {
            value = random.nextBoolean() ? NODES.arrayNode().add(value) : NODES.objectNode().set("k", value);
        }
        return value;
    }

    private byte[] damageBytes(byte[] bytes) {
        if (bytes.length == 0) {
            return bytes;
        }
        byte[] damaged = bytes.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                return java.util.Arrays.copyOf(damaged, random.nextInt(damaged.length));
            }
            case 1 -> damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            case 2 -> damaged[random.nextInt(damaged.length)] = (byte) "{}[]\",:\\".charAt(random.nextInt(8));
            default -> {
                return bytes;
            }
        }
        return damaged;
    }

    private static List<JsonPointer> containers(JsonNode document) {
        List<JsonPointer> found = new ArrayList<>();
        Deque<JsonPointer> todo = new ArrayDeque<>();
        if (document.isContainerNode()) {
            todo.push(JsonPointer.empty());
        }
        while (!todo.isEmpty() && found.size() < 10_000) {
            JsonPointer pointer = todo.pop();
            found.add(pointer);
            JsonNode node = document.at(pointer);
            if (node.isObject()) {
                node.fieldNames().forEachRemaining(k -> {
                    if (node.get(k).isContainerNode()) {
                        todo.push(pointer.appendProperty(k));
                    }
                });
            } else {
                for (int i = 0; i < node.size(); i++) {
                    if (node.get(i).isContainerNode()) {
                        todo.push(pointer.appendIndex(i));
                    }
                }
            }
        }
        if (found.isEmpty()) {
            found.add(JsonPointer.empty());
        }
        return found;
    }

    private static String excerpt(String document) {
        return document.length() <= 2_000 ? document : document.substring(0, 2_000) + "…";
    }
}
