package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;

/**
 * A block's {@code with}, compiled: the JSON as written, its expressions, and the primary inputs
 * taken from the need when left out. Immutable; safe to resolve from many threads.
 */
public final class BlockParameters {

    /**
     * A left-out primary input, bound to the block's needs.
     *
     * @param needs one id for a field; one or more for a whole output (several: an object by id)
     */
    record Default(String parameter, List<String> needs, String field) {
        Default {
            needs = List.copyOf(needs);
        }
    }

    private final JsonNode written;
    private final Template template;
    private final List<Default> defaults;

    BlockParameters(JsonNode written, Template template, List<Default> defaults) {
        this.written = written.deepCopy();
        this.template = Objects.requireNonNull(template, "template");
        this.defaults = List.copyOf(defaults);
    }

    /** {@code with} as the author wrote it (a copy). */
    public JsonNode json() {
        return written.deepCopy();
    }

    /**
     * The parameters of one execution: every expression evaluated against {@code context}, and
     * each left-out primary input read from the need's output (html-scraper's {@code html} and
     * {@code baseUrl} from the fetch's {@code body} and {@code url}; response's {@code body} from
     * the whole output). A new object each call.
     *
     * @throws io.ninetail.core.block.BlockFailure code {@code EXPRESSION} when an expression fails
     */
    public ObjectNode resolve(EvaluationContext context) {
        JsonNode resolved = template.resolve(context);
        ObjectNode parameters = resolved.isObject() ? (ObjectNode) resolved : JsonNodeFactory.instance.objectNode();
        for (Default input : defaults) {
            if (parameters.has(input.parameter())) {
                continue;
            }
            JsonNode value = input.needs().size() == 1 ? read(context.output(input.needs().get(0)), input.field())
                    : byId(context, input.needs());
            if (!value.isMissingNode()) {
                parameters.set(input.parameter(), value.deepCopy());
            }
        }
        return parameters;
    }

    private static JsonNode read(JsonNode output, String field) {
        return field == null ? output : output.path(field);
    }

    private static JsonNode byId(EvaluationContext context, List<String> needs) {
        ObjectNode outputs = JsonNodeFactory.instance.objectNode();
        needs.forEach(id -> {
            JsonNode output = context.output(id);
            if (!output.isMissingNode()) {
                outputs.set(id, output);
            }
        });
        return outputs;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BlockParameters that && written.equals(that.written)
                && template.equals(that.template) && defaults.equals(that.defaults);
    }

    @Override
    public int hashCode() {
        return Objects.hash(written, defaults);
    }

    @Override
    public String toString() {
        return written.toString();
    }
}
