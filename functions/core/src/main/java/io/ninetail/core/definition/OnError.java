package io.ninetail.core.definition;

import java.util.Arrays;
import java.util.Optional;

/** What a block's failure (after its retries) does to the run (DESIGN §4). */
public enum OnError {
    /** The block fails; unless a {@code runIf: failure} block handles it, so does the run (the default). */
    FAIL,
    /** The error {@code {code, message, retryable, details}} becomes the block's output and dependents proceed. */
    CONTINUE;

    /** The word used in definitions. */
    public String json() {
        return name().toLowerCase();
    }

    static Optional<OnError> fromJson(String word) {
        return Arrays.stream(values()).filter(v -> v.json().equals(word)).findFirst();
    }
}
