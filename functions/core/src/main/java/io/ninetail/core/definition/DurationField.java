package io.ninetail.core.definition;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;

/** Reads a duration-valued field of a block ({@code timeout}, {@code retry.delay}, …). */
final class DurationField {

    private DurationField() {
    }

    /** Null (and an error) when the value is not a duration. */
    static Duration read(JsonNode value, String name, String label, JsonPointer pointer, Diagnostics out) {
        if (value.isTextual()) {
            try {
                return Durations.parse(value.textValue());
            } catch (IllegalArgumentException e) {
                // fall through to the one message for every wrong value
            }
        }
        out.error(pointer.toString(), label + ": " + name + " must be a duration (" + Durations.EXPECTED + "), was "
                + Texts.describe(value));
        return null;
    }
}
