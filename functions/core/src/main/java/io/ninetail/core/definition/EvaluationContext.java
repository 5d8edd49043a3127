package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * What the expressions of one block see (DESIGN §4): {@code .} is an object holding the output
 * of each completed ancestor by block id, {@code $input} the run input, {@code $run} the run's
 * metadata ({@code {"id", "workflow", "startedAt"}} as the scheduler provides it).
 *
 * <p>A need that failed (with {@code onError: continue}, or seen from a {@code runIf: failure}
 * block) appears as its error {@code {"code", "message", "retryable", "details"}}.
 *
 * <p>The nodes are used as given, not copied: the caller must not change them afterwards.
 * Evaluation never changes them.
 */
public final class EvaluationContext {

    private final ObjectNode outputs;
    private final JsonNode input;
    private final JsonNode run;

    private EvaluationContext(ObjectNode outputs, JsonNode input, JsonNode run) {
        this.outputs = outputs;
        this.input = input;
        this.run = run;
    }

    /**
     * @param outputs ancestor id → output (null values become JSON null)
     * @param input   the run input; null means JSON null
     * @param run     the run metadata; null means JSON null
     */
    public static EvaluationContext of(Map<String, ? extends JsonNode> outputs, JsonNode input, JsonNode run) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        outputs.forEach((id, output) -> root.set(id, output == null ? NullNode.getInstance() : output));
        return new EvaluationContext(root, orNull(input), orNull(run));
    }

    /** The output of an ancestor, or a missing node. */
    public JsonNode output(String blockId) {
        return outputs.path(blockId);
    }

    JsonNode outputs() {
        return outputs;
    }

    JsonNode input() {
        return input;
    }

    JsonNode run() {
        return run;
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null ? NullNode.getInstance() : node;
    }
}
