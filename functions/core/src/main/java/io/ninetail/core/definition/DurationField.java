package io.ninetail.core.definition;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;

/** Reads a duration-valued field of a block ({@code timeout}, {@code retry.delay}, …) or of the workflow. */
final class DurationField {

    private DurationField() {
    }

    /**
     * Null (and an error) when the value is not a duration.
     *
     * @param label the block the field belongs to, or null for a field of the workflow itself
     */
    static Duration read(JsonNode value, String name, String label, JsonPointer pointer, Diagnostics out) {
        if (value.isTextual()) {
            try {
                return Durations.parse(value.textValue());
            } catch (IllegalArgumentException e) {
                // fall through to the one message for every wrong value
            }
        }
        String field = label == null ? name : label + ": " + name;
        out.error(pointer.toString(), field + " must be a duration (" + Durations.EXPECTED + "), was "
                + Texts.describe(value));
        return null;
    }

    /** As {@link #read}, for a timeout: zero is an error too. */
    static Duration readTimeout(JsonNode value, String label, JsonPointer pointer, Diagnostics out) {
        Duration duration = read(value, "timeout", label, pointer, out);
        if (duration != null && duration.isZero()) {
            out.error(pointer.toString(), (label == null ? "" : label + ": ") + "timeout must be longer than zero");
            return null;
        }
        return duration;
    }
}
