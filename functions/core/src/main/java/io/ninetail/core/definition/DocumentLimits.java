package io.ninetail.core.definition;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * How big a submitted document may be. Checked before anything else looks at it, and without
 * recursion, so that hostile input costs little and cannot exhaust the stack of the (recursive)
 * checks that follow.
 */
final class DocumentLimits {

    static final int MAX_BYTES = 1024 * 1024;
    /** Objects and arrays inside each other; a rich workflow uses about ten. */
    static final int MAX_DEPTH = 64;
    static final int MAX_STRING_CHARS = 64 * 1024;
    static final int MAX_VALUES = 100_000;

    private DocumentLimits() {
    }

    /** The first limit the document exceeds, if any. */
    static Optional<Diagnostic> check(JsonNode document) {
        record Visit(JsonNode node, JsonPointer pointer, int depth) {
        }
        Deque<Visit> todo = new ArrayDeque<>();
        todo.push(new Visit(document, JsonPointer.empty(), document.isContainerNode() ? 1 : 0));
        int values = 0;
        while (!todo.isEmpty()) {
            Visit visit = todo.pop();
            if (++values > MAX_VALUES) {
                return Optional.of(new Diagnostic("", "the document holds more than " + MAX_VALUES + " JSON values"));
            }
            JsonNode node = visit.node();
            if (node.isTextual() && node.textValue().length() > MAX_STRING_CHARS) {
                return Optional.of(new Diagnostic(visit.pointer().toString(), "this string is longer than "
                        + MAX_STRING_CHARS + " characters"));
            }
            if (visit.depth() > MAX_DEPTH) {
                return Optional.of(new Diagnostic(visit.pointer().toString(), "the document nests objects and arrays"
                        + " deeper than " + MAX_DEPTH + " levels"));
            }
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    if (field.getKey().length() > MAX_STRING_CHARS) {
                        return Optional.of(new Diagnostic(visit.pointer().toString(), "a key here is longer than "
                                + MAX_STRING_CHARS + " characters"));
                    }
                    JsonNode child = field.getValue();
                    todo.push(new Visit(child, visit.pointer().appendProperty(field.getKey()),
                            visit.depth() + (child.isContainerNode() ? 1 : 0)));
                }
            } else if (node.isArray()) {
                for (int i = node.size() - 1; i >= 0; i--) {
                    JsonNode child = node.get(i);
                    todo.push(new Visit(child, visit.pointer().appendIndex(i),
                            visit.depth() + (child.isContainerNode() ? 1 : 0)));
                }
            }
        }
        return Optional.empty();
    }
}
