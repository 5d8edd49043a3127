package io.ninetail.core.definition;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

/** A check of a block type's {@code with} that its JSON Schema cannot express. */
@FunctionalInterface
interface ParameterRule {

    /**
     * @param with    the parameters, already known to be an object
     * @param pointer where {@code with} is
     * @param label   how messages name the block, e.g. {@code html-scraper block 'heads'}
     */
    void check(JsonNode with, JsonPointer pointer, String label, Diagnostics out);

    ParameterRule NONE = (with, pointer, label, out) -> {
    };
}
