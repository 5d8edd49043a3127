package io.ninetail.core.definition;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Objects;

/**
 * One finding about a submitted workflow document.
 *
 * @param pointer RFC 6901 JSON pointer into the document as submitted (for the list form: into
 *                the array), {@code ""} for the whole document
 * @param message for the author: what is wrong, naming the block and the value
 */
@RegisterForReflection // the api answers these as JSON (problems' errors, warnings)
public record Diagnostic(String pointer, String message) {
    public Diagnostic {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
    }
}
