package io.ninetail.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ninetail.core.definition.ValidationResult;
import io.ninetail.core.definition.WorkflowDefinition;
import io.ninetail.core.definition.WorkflowValidator;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The validator, and stored definitions compiled once per version: a webhook that starts a run
 * should neither compile the workflow's jq expressions and schemas nor serialize its definition
 * on every call.
 */
@ApplicationScoped
public class CompiledWorkflows {

    private static final int CAPACITY = 256;

    private final WorkflowValidator validator = new WorkflowValidator();
    private final ObjectMapper mapper;
    private final Map<String, CompiledWorkflow> compiled = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompiledWorkflow> eldest) {
            return size() > CAPACITY;
        }
    };

    public CompiledWorkflows(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A submitted document, either form. */
    public ValidationResult validate(byte[] document, String listFormName) {
        return validator.validate(document, listFormName);
    }

    /** A submitted document, either form, already parsed. */
    public ValidationResult validate(JsonNode document, String listFormName) {
        return validator.validate(document, listFormName);
    }

    /** A definition that was just validated (an inline run's): ready for one run, not kept. */
    public CompiledWorkflow once(WorkflowDefinition definition) {
        return CompiledWorkflow.of(definition, mapper);
    }

    /** A version this api stored: known by its name, number and time, without reading its text. */
    public CompiledWorkflow stored(WorkflowStore.Stored stored) {
        String key = stored.name() + "@" + stored.version() + "@" + stored.updatedAt();
        synchronized (compiled) {
            CompiledWorkflow hit = compiled.get(key);
            if (hit != null) {
                return hit;
            }
        }
        ValidationResult result = validator.validate(stored.definition());
        WorkflowDefinition definition = result.definition().orElseThrow(() -> Problem.of(500, "stored-workflow-invalid",
                "Stored workflow is no longer valid", "the stored workflow does not pass this version's validation: "
                        + result.errors()).exception());
        CompiledWorkflow workflow = CompiledWorkflow.of(definition, stored.version(), mapper);
        synchronized (compiled) {
            compiled.put(key, workflow);
        }
        return workflow;
    }
}
