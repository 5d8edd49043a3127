package io.ninetail.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.ninetail.core.definition.ValidationResult;
import io.ninetail.core.definition.WorkflowDefinition;
import io.ninetail.core.definition.WorkflowValidator;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The validator, and stored definitions compiled once per distinct text: a webhook that starts
 * a run should not compile the workflow's jq expressions and schemas on every call.
 */
@ApplicationScoped
public class CompiledWorkflows {

    private static final int CAPACITY = 256;

    private final WorkflowValidator validator = new WorkflowValidator();
    private final Map<String, WorkflowDefinition> compiled = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, WorkflowDefinition> eldest) {
            return size() > CAPACITY;
        }
    };

    /** A submitted document, either form. */
    public ValidationResult validate(byte[] document, String listFormName) {
        return validator.validate(document, listFormName);
    }

    /** A submitted document, either form, already parsed. */
    public ValidationResult validate(JsonNode document, String listFormName) {
        return validator.validate(document, listFormName);
    }

    /** A version this api stored: known by its name, number and time, without reading its text. */
    public WorkflowDefinition stored(WorkflowStore.Stored stored) {
        return stored(stored.name() + "@" + stored.version() + "@" + stored.updatedAt(), stored.definition());
    }

    /** A definition this api stored (object form), which was valid when it was stored. */
    public WorkflowDefinition stored(JsonNode definition) {
        return stored(definition.toString(), definition);
    }

    private WorkflowDefinition stored(String key, JsonNode definition) {
        synchronized (compiled) {
            WorkflowDefinition hit = compiled.get(key);
            if (hit != null) {
                return hit;
            }
        }
        ValidationResult result = validator.validate(definition);
        WorkflowDefinition workflow = result.definition().orElseThrow(() -> Problem.of(500, "stored-workflow-invalid",
                "Stored workflow is no longer valid", "the stored workflow does not pass this version's validation: "
                        + result.errors()).exception());
        synchronized (compiled) {
            compiled.put(key, workflow);
        }
        return workflow;
    }
}
