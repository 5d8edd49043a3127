package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import io.ninetail.core.definition.ValidationResult;
import io.ninetail.core.definition.WorkflowValidator;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiled workflows (jq expressions compiled, graph checked), shared by every run of the same
 * version: compiling is far dearer than looking up, and every event of a run needs one.
 */
@ApplicationScoped
public class Definitions {

    private static final int CAPACITY = 512;

    private final WorkflowValidator validator = new WorkflowValidator();
    private final Map<String, ValidationResult> compiled = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ValidationResult> eldest) {
            return size() > CAPACITY;
        }
    };

    /** The workflow a run carries (object form), validated once per distinct text. */
    public ValidationResult compile(JsonNode definition) {
        String key = definition.toString();
        synchronized (compiled) {
            ValidationResult hit = compiled.get(key);
            if (hit != null) {
                return hit;
            }
        }
        ValidationResult result = validator.validate(definition);
        synchronized (compiled) {
            compiled.put(key, result);
        }
        return result;
    }
}
