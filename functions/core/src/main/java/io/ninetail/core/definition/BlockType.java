package io.ninetail.core.definition;

import java.util.List;

/**
 * What the definition language knows about one block type: its {@code with} schema (in
 * {@code ninetail/blocks/<name>.with.schema.json}) and what the schema cannot say.
 *
 * @param fixedParameters {@code with} is read as written, without expressions (hook: its
 *                        route must be known when the workflow is saved)
 * @param primaryInputs   parameters read from the need when left out
 * @param rule            checks beyond the schema
 */
record BlockType(String name, boolean fixedParameters, List<PrimaryInput> primaryInputs, ParameterRule rule) {
    BlockType {
        primaryInputs = List.copyOf(primaryInputs);
    }
}
