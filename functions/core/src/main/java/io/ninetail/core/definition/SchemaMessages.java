package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.ValidationMessage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Words the JSON Schema library's findings about a {@code with} for a workflow author: one line
 * per problem, naming the key, what it must be, and what it was.
 *
 * <p>Where a value may be an expression the schema says {@code anyOf: [<the value>, expression]};
 * when neither fits, the library reports both alternatives. Those about the expression are
 * folded into the other ("must be an integer or a ${ … } expression").
 */
final class SchemaMessages {

    /** A finding, the pointer relative to the validated value. */
    record Finding(String pointer, String message) {
    }

    private static final String EXPRESSION_DEF = SchemaLibrary.COMMON_ID + "#/$defs/expression";
    private static final String OR_EXPRESSION = " or a ${ … } expression";

    private final SchemaLibrary library;

    SchemaMessages(SchemaLibrary library) {
        this.library = library;
    }

    List<Finding> describe(Iterable<ValidationMessage> messages, JsonNode instance) {
        Map<String, List<ValidationMessage>> byLocation = new LinkedHashMap<>();
        messages.forEach(m -> byLocation.computeIfAbsent(m.getInstanceLocation().toString(), k -> new ArrayList<>()).add(m));
        List<Finding> findings = new ArrayList<>();
        byLocation.forEach((location, found) -> {
            boolean expressionAllowed = found.stream().anyMatch(SchemaMessages::aboutExpression);
            found.stream().filter(m -> !aboutExpression(m)).forEach(m -> {
                Finding finding = describe(m, location, instance.at(location), expressionAllowed);
                if (!findings.contains(finding)) {
                    findings.add(finding);
                }
            });
        });
        return findings;
    }

    private Finding describe(ValidationMessage m, String location, JsonNode value, boolean expressionAllowed) {
        String name = location.isEmpty() ? "with" : "'" + lastToken(location) + "'";
        String or = expressionAllowed ? OR_EXPRESSION : "";
        String custom = customMessage(m);
        String was = ", was " + Texts.describe(value);
        return switch (m.getType()) {
            case "additionalProperties" -> {
                String key = m.getProperty();
                TreeSet<String> known = knownKeys(m.getSchemaLocation());
                yield new Finding(location + "/" + escape(key), "unknown key '" + Texts.excerpt(key) + "'"
                        + Suggestions.didYouMean(key, known)
                        + (known.isEmpty() ? "" : " (known: " + String.join(", ", known) + ")"));
            }
            case "required" -> new Finding(location, "missing required key '" + m.getProperty() + "'"
                    + (location.isEmpty() ? "" : " in " + name));
            case "type" -> new Finding(location, name + " must be " + expectedTypes(m) + or + was);
            case "enum" -> new Finding(location, name + " must be one of "
                    + values(library.at(m.getSchemaLocation())) + or + was);
            case "const" -> new Finding(location, name + " must be " + library.at(m.getSchemaLocation()) + was);
            // Bounds concern a value of the right type already: an expression is no help there.
            case "minimum" -> new Finding(location, name + " must be at least " + library.at(m.getSchemaLocation()) + was);
            case "maximum" -> new Finding(location, name + " must be at most " + library.at(m.getSchemaLocation()) + was);
            case "minLength" -> new Finding(location, name + " must not be empty");
            case "maxLength" -> new Finding(location, name + " must have at most "
                    + library.at(m.getSchemaLocation()) + " characters");
            case "minProperties" -> new Finding(location, name + " must have at least one key");
            case "minItems" -> new Finding(location, name + " must have at least one item");
            case "pattern" -> new Finding(location, name + " "
                    + (custom != null ? custom : "must match " + library.at(m.getSchemaLocation()).asText()) + or + was);
            case "not" -> new Finding(location, name + " " + (custom != null ? custom : "is not allowed in this form"));
            default -> new Finding(location, name + " " + (custom != null ? custom : withoutLocation(m.getMessage())));
        };
    }

    private static boolean aboutExpression(ValidationMessage m) {
        return m.getSchemaLocation().toString().startsWith(EXPRESSION_DEF);
    }

    /** The schema's own words for this keyword ({@code errorMessage}), if it has them. */
    private String customMessage(ValidationMessage m) {
        JsonNode owner = library.at(parent(m.getSchemaLocation()));
        JsonNode custom = owner.path(SchemaLibrary.ERROR_MESSAGE);
        if (custom.isTextual()) {
            return custom.textValue();
        }
        JsonNode forKeyword = custom.path(m.getType());
        return forKeyword.isTextual() ? forKeyword.textValue() : null;
    }

    private TreeSet<String> knownKeys(SchemaLocation additionalProperties) {
        JsonNode owner = library.at(parent(additionalProperties));
        TreeSet<String> names = new TreeSet<>();
        owner.path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static SchemaLocation parent(SchemaLocation location) {
        String text = location.toString();
        int slash = text.lastIndexOf('/');
        return SchemaLocation.of(slash > text.indexOf('#') ? text.substring(0, slash) : text);
    }

    private static String expectedTypes(ValidationMessage m) {
        Object[] arguments = m.getArguments();
        String expected = arguments != null && arguments.length > 1 ? String.valueOf(arguments[1]) : "another type";
        return Arrays.stream(expected.replace("[", "").replace("]", "").split(",\\s*"))
                .map(SchemaMessages::withArticle).collect(Collectors.joining(" or "));
    }

    private static String withArticle(String type) {
        return switch (type) {
            case "integer", "object", "array" -> "an " + type;
            case "null" -> "null";
            default -> "a " + type;
        };
    }

    private static String values(JsonNode enumeration) {
        return StreamSupport.stream(enumeration.spliterator(), false)
                .map(v -> v.isTextual() ? v.textValue() : v.toString())
                .collect(Collectors.joining(", "));
    }

    private static String lastToken(String pointer) {
        String token = pointer.substring(pointer.lastIndexOf('/') + 1);
        return token.replace("~1", "/").replace("~0", "~");
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static String withoutLocation(String message) {
        int colon = message.indexOf(": ");
        return colon >= 0 ? message.substring(colon + 2) : message;
    }
}
