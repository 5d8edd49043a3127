package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.ninetail.core.block.BlockError;
import io.ninetail.core.block.BlockFailure;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One jq expression of a definition, compiled once when the definition is validated.
 * Immutable and safe to evaluate from any number of threads at once: each evaluation gets its
 * own jq scope; the shared root scope (jq's built-in functions) is never changed after start-up.
 *
 * <p>The built-ins are those of jq 1.6 as jackson-jq provides them; there is no module loader
 * and no {@code $ENV}, so an expression cannot read files or the environment.
 */
public final class Expression {

    /**
     * Longer expressions are refused: jackson-jq parses and evaluates by recursion, and a
     * few thousand characters of nesting exhaust a thread's stack. Shape data in several small
     * expressions (or a transform block) instead.
     */
    public static final int MAX_CHARS = 1000;

    private static final Scope BUILT_INS = builtIns();

    private final String text;
    private final String jq;
    private final String blockId;
    private final String pointer;
    private final JsonQuery query;

    private Expression(String text, String jq, String blockId, String pointer, JsonQuery query) {
        this.text = text;
        this.jq = jq;
        this.blockId = blockId;
        this.pointer = pointer;
        this.query = query;
    }

    /**
     * @param text    as written in the definition, for messages
     * @param jq      the jq program
     * @param blockId the block it belongs to, for run-time messages
     * @param pointer where it is in the (object-form) definition, for run-time messages
     */
    static Expression compile(String text, String jq, String blockId, String pointer)
            throws InvalidExpressionException {
        if (jq.isBlank()) {
            throw new InvalidExpressionException("it is empty");
        }
        if (jq.length() > MAX_CHARS) {
            throw new InvalidExpressionException("it is longer than " + MAX_CHARS
                    + " characters; split it, or shape the data in a transform block first");
        }
        try {
            return new Expression(text, jq, blockId, pointer, JsonQuery.compile(jq, Versions.JQ_1_6));
        } catch (JsonQueryException e) {
            throw new InvalidExpressionException(JqSyntax.describe(e, jq));
        } catch (StackOverflowError e) {
            throw new InvalidExpressionException("it nests too deeply to compile");
        } catch (RuntimeException e) {
            throw new InvalidExpressionException("jq cannot compile it (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The expression as written, e.g. {@code ${ .page.body }}. */
    public String text() {
        return text;
    }

    /** The jq program, e.g. {@code .page.body}. */
    public String jq() {
        return jq;
    }

    /**
     * The value of the expression: its single result, or JSON null when it produces none.
     *
     * @throws BlockFailure code {@code EXPRESSION}, not retryable, naming the expression: jq
     *                      failed, or produced more than one value
     */
    public JsonNode evaluate(EvaluationContext context) {
        Scope scope = Scope.newChildScope(BUILT_INS);
        scope.setValue("input", context.input());
        scope.setValue("run", context.run());
        List<JsonNode> results = new ArrayList<>(1);
        try {
            query.apply(scope, context.outputs(), result -> {
                if (!results.isEmpty()) {
                    throw new SecondResult();
                }
                results.add(result);
            });
        } catch (SecondResult e) {
            throw failure("it produced more than one value; collect them with [ … ] or pick one with first(…)");
        } catch (JsonQueryException e) {
            throw failure(e.getMessage());
        } catch (StackOverflowError e) {
            throw failure("it recursed too deeply");
        } catch (RuntimeException e) {
            throw failure(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        return results.isEmpty() ? NullNode.getInstance() : results.get(0);
    }

    /** jq's truthiness of {@link #evaluate}: false for {@code false}, {@code null} and no value. */
    public boolean test(EvaluationContext context) {
        JsonNode value = evaluate(context);
        return !(value.isNull() || value.isBoolean() && !value.booleanValue());
    }

    private BlockFailure failure(String reason) {
        return BlockFailure.of(BlockError.EXPRESSION,
                "block '" + blockId + "', " + pointer + ": expression " + text + " failed: " + reason, false,
                Map.of("expression", text, "blockId", blockId, "pointer", pointer));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Expression that && text.equals(that.text) && jq.equals(that.jq)
                && blockId.equals(that.blockId) && pointer.equals(that.pointer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, jq, blockId, pointer);
    }

    @Override
    public String toString() {
        return text;
    }

    private static Scope builtIns() {
        Scope root = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, root);
        return root;
    }

    /** Stops jq at its second result: a definition's expression stands for one value. */
    private static final class SecondResult extends RuntimeException {
        SecondResult() {
            super(null, null, false, false);
        }
    }
}
