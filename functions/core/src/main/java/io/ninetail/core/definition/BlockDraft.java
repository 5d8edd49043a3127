package io.ninetail.core.definition;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;

/**
 * One block as read, while the rest of the document is checked: whatever could be read, with
 * nulls where a field was missing or wrong (already reported). Becomes a {@link BlockDefinition}
 * when the whole document has no error.
 *
 * @param id       as written when it is a string (even a malformed one, so that needs naming
 *                 it do not report it unknown as well); null otherwise
 * @param type     null when missing or unknown
 * @param with     as written; null when left out
 * @param template null when {@code with} has an error or the type is unknown
 */
record BlockDraft(int index, JsonPointer pointer, String id, BlockType type, String description, List<Need> needs,
                  JsonNode with, Template template, Expression condition, RunIf runIf, RetryPolicy retry,
                  Duration timeout, OnError onError) {

    /** One entry of {@code needs}. */
    record Need(String id, JsonPointer pointer) {
    }

    BlockDraft {
        needs = List.copyOf(needs);
    }

    /** {@code block 'page'}, or {@code block #3} while it has no id. */
    String label() {
        return label(index, id);
    }

    /** {@code fetch block 'page'}: for messages about parameters. */
    String typedLabel() {
        return (type == null ? "" : type.name() + " ") + label();
    }

    static String label(int index, String id) {
        return id == null ? "block #" + index : "block '" + Texts.excerpt(id) + "'";
    }
}
