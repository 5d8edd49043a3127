package io.ninetail.core.block;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * The data of a {@code block.<type>.error} event (DESIGN §2).
 *
 * @param code      stable, upper-case identifier callers branch on, e.g. {@code CONNECT}
 * @param message   for people: what went wrong and with what
 * @param retryable whether the same input may succeed later (the scheduler retries only these)
 * @param details   machine-readable extras, e.g. {@code {"status": 503}}; may be empty
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BlockError(String code, String message, boolean retryable, Map<String, Object> details) {

    /** Parameters that do not fit the block's parameter record. */
    public static final String INVALID_PARAMETERS = "INVALID_PARAMETERS";
    /** An input that is not a valid Ninetail event for this block type. */
    public static final String BAD_EVENT = "BAD_EVENT";
    /** A fault in the block itself; the message names the exception. */
    public static final String INTERNAL = "INTERNAL";
    /** The block ran past the function's deadline. */
    public static final String TIMEOUT = "TIMEOUT";
    /** A {@code ${ … }} expression of the block's definition failed at run time (never retryable). */
    public static final String EXPRESSION = "EXPRESSION";

    public BlockError {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static BlockError of(String code, String message, boolean retryable) {
        return new BlockError(code, message, retryable, Map.of());
    }
}
