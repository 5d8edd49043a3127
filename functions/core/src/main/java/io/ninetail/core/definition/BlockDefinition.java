package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One block of a validated workflow (DESIGN §4). Made by {@link WorkflowValidator}, so every
 * field has been checked: the id is unique, the needs exist and form no cycle, the type is known
 * and {@code with} fits it, every expression compiled.
 *
 * @param needs     ids of the blocks this one waits for, in the order written
 * @param with      the parameters, with their expressions compiled
 * @param condition the {@code if}: when it is false the block is skipped
 * @param retry     {@link RetryPolicy#NONE} when not set
 * @param timeout   a deadline for one attempt, when set
 */
public record BlockDefinition(String id, String type, Optional<String> description, List<String> needs,
                              BlockParameters with, Optional<Expression> condition, RunIf runIf,
                              RetryPolicy retry, Optional<Duration> timeout, OnError onError) {

    public BlockDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        needs = List.copyOf(needs);
        Objects.requireNonNull(with, "with");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(runIf, "runIf");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(onError, "onError");
    }

    /** The block in the object form, defaults left out: validating it gives this block again. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", id);
        json.put("type", type);
        description.ifPresent(text -> json.put("description", text));
        if (!needs.isEmpty()) {
            needs.forEach(json.putArray("needs")::add);
        }
        condition.ifPresent(expression -> json.put("if", expression.text()));
        if (runIf != RunIf.SUCCESS) {
            json.put("runIf", runIf.json());
        }
        json.set("with", with.json());
        if (!retry.equals(RetryPolicy.NONE)) {
            ObjectNode policy = json.putObject("retry");
            policy.put("maxAttempts", retry.maxAttempts());
            policy.put("delay", Durations.format(retry.delay()));
            policy.put("multiplier", retry.multiplier());
            policy.put("maxDelay", Durations.format(retry.maxDelay()));
        }
        timeout.ifPresent(limit -> json.put("timeout", Durations.format(limit)));
        if (onError != OnError.FAIL) {
            json.put("onError", onError.json());
        }
        return json;
    }
}
