package io.ninetail.core.definition;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link WorkflowValidator} says about a document: the definition when there is no error,
 * and every error and warning it found, in document order where there is one.
 *
 * @param definition present exactly when {@code errors} is empty
 * @param errors     reasons the document is rejected
 * @param warnings   accepted, but probably not what the author meant
 */
public record ValidationResult(Optional<WorkflowDefinition> definition, List<Diagnostic> errors,
                               List<Diagnostic> warnings) {

    public ValidationResult {
        Objects.requireNonNull(definition, "definition");
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        if (definition.isPresent() != errors.isEmpty()) {
            throw new IllegalArgumentException("a result has a definition exactly when it has no errors");
        }
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    static ValidationResult of(WorkflowDefinition definition, Diagnostics diagnostics) {
        return new ValidationResult(diagnostics.errors().isEmpty() ? Optional.ofNullable(definition) : Optional.empty(),
                diagnostics.errors(), diagnostics.warnings());
    }
}
