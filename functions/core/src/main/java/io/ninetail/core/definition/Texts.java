package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;

/** How user values appear inside messages: quoted, shortened, on one line. */
final class Texts {

    private static final int EXCERPT_CHARS = 60;

    private Texts() {
    }

    static String excerpt(String text) {
        return excerpt(text, EXCERPT_CHARS);
    }

    static String excerpt(String text, int maxChars) {
        if (text == null) {
            return "null";
        }
        String oneLine = text.replace("\n", "\\n").replace("\r", "\\r");
        return oneLine.length() <= maxChars ? oneLine : oneLine.substring(0, maxChars) + "…";
    }

    /** {@code 'text'}, {@code 3}, {@code true}, {@code null}, or the kind of a container. */
    static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "missing";
        }
        if (value.isTextual()) {
            return "'" + excerpt(value.textValue()) + "'";
        }
        if (value.isNumber() || value.isBoolean() || value.isNull()) {
            return excerpt(value.toString());
        }
        return kind(value);
    }

    /** {@code an object}, {@code an array}, {@code a string}, … */
    static String kind(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "missing";
        }
        return switch (value.getNodeType()) {
            case OBJECT, POJO -> "an object";
            case ARRAY -> "an array";
            case STRING, BINARY -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> "null";
        };
    }
}
