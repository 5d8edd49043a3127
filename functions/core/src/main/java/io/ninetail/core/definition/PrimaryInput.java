package io.ninetail.core.definition;

/**
 * A parameter that, when the author leaves it out, is read from what the block's need produced
 * (DESIGN §4: "a block's primary input defaults to the output of its single need").
 *
 * @param parameter the key in {@code with}, e.g. {@code html}
 * @param field     the field of the need's output, e.g. {@code body}; null for the whole output
 * @param required  the block cannot run without it, so a block with no single need to read it
 *                  from must set it
 */
record PrimaryInput(String parameter, String field, boolean required) {

    /** A whole output can come from several needs (an object by id); a field only from one. */
    boolean acceptsSeveralNeeds() {
        return field == null;
    }
}
