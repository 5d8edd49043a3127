package io.ninetail.core.definition;

import java.util.Arrays;
import java.util.Optional;

/** When a block whose needs have all finished runs (DESIGN §4). */
public enum RunIf {
    /** Every need completed (the default). */
    SUCCESS,
    /** At least one need failed: an error route. */
    FAILURE,
    /** Whatever happened to the needs. */
    ALWAYS;

    /** The word used in definitions. */
    public String json() {
        return name().toLowerCase();
    }

    static Optional<RunIf> fromJson(String word) {
        return Arrays.stream(values()).filter(v -> v.json().equals(word)).findFirst();
    }
}
