package io.ninetail.transform;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.ninetail.core.block.Block;
import io.ninetail.core.block.BlockContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code transform}: shapes data between blocks. Its output is its {@code value}.
 *
 * <pre>{@code
 * {"id": "summary", "type": "transform", "needs": ["heads", "page"],
 *  "with": {"value": {"title": "${ .heads.h1[0] }",
 *                     "linkCount": "${ .heads.links | length }",
 *                     "source": "${ .page.url }",
 *                     "fetchedIn": "${ .page.elapsedMs }"}}}
 * }</pre>
 * gives {@code {"title": "Today's news", "linkCount": 57, "source": "https://news.example/",
 * "fetchedIn": 112}}.
 *
 * <p>The work is done before the function is called: the scheduler evaluates every
 * {@code ${ … }} (jq) expression in {@code with} against the outputs of the block's ancestors,
 * as for every block, and sends the evaluated JSON. This block then returns it unchanged. That
 * makes it the cheapest block there is: no I/O, nothing to compute, which is why benchmarks use
 * chains of transforms to measure the engine's own cost per step (dispatch, JetStream round
 * trips, state updates).
 *
 * <p>Errors: only {@code INVALID_PARAMETERS}, when {@code value} is missing or another key is
 * given.
 */
@ApplicationScoped
public class Transform implements Block<Transform.Parameters, Transform.Output> {

    /**
     * @param value any JSON (required): an object, a list, a string, a number, a boolean or
     *              null. In a workflow, any string in it of the form {@code ${ … }} is a jq
     *              expression that the scheduler has replaced by its result before this block
     *              runs.
     */
    @RegisterForReflection
    public record Parameters(JsonNode value) {
        public Parameters {
            if (value == null) {
                throw new IllegalArgumentException("parameter 'value' is required: the JSON this block outputs"
                        + " (with its ${ … } expressions evaluated), e.g. {\"value\": {\"title\": \"${ .page.url }\"}}");
            }
        }
    }

    /** {@code value}, exactly: the output is the JSON itself, not an object wrapping it. */
    @RegisterForReflection
    public record Output(@JsonValue JsonNode value) {
    }

    @Override
    public String type() {
        return "transform";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Uni<Output> execute(Parameters parameters, BlockContext context) {
        return Uni.createFrom().item(new Output(parameters.value()));
    }
}
