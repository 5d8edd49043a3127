package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Reads a submitted workflow document, either form, into a {@link WorkflowDefinition}, or says
 * everything that is wrong with it at once ({@link ValidationResult}). Nothing else ever comes
 * out: no input, however hostile, makes it throw.
 *
 * <p>Create one and share it: it is immutable and thread-safe (the JSON Schemas are compiled
 * when it is made, which takes a moment).
 *
 * <pre>{@code
 * ValidationResult result = validator.validate(requestBody, nameParameter);
 * if (!result.valid()) {
 *     return problem(400, result.errors());   // [{"pointer": "/blocks/1/needs/0", "message": …}, …]
 * }
 * store(result.definition().orElseThrow().toJson());
 * }</pre>
 */
public final class WorkflowValidator {

    private final BlockTypes types;
    private final DefinitionReader reader;

    public WorkflowValidator() {
        this.types = BlockTypes.builtIn();
        this.reader = new DefinitionReader(types, new ParameterCheck(types));
    }

    public ValidationResult validate(String json) {
        return validate(json, null);
    }

    /** @param listFormName see {@link #validate(JsonNode, String)} */
    public ValidationResult validate(String json, String listFormName) {
        return json == null ? rejected(new Diagnostic("", "the document is empty"))
                : validate(json.getBytes(StandardCharsets.UTF_8), listFormName);
    }

    public ValidationResult validate(byte[] json) {
        return validate(json, null);
    }

    /** @param listFormName see {@link #validate(JsonNode, String)} */
    public ValidationResult validate(byte[] json, String listFormName) {
        try {
            if (json == null) {
                return rejected(new Diagnostic("", "the document is empty"));
            }
            DocumentParser.Parsed parsed = DocumentParser.parse(json);
            if (parsed instanceof DocumentParser.Unreadable unreadable) {
                return rejected(unreadable.problem());
            }
            return validate(((DocumentParser.Document) parsed).tree(), listFormName);
        } catch (RuntimeException | StackOverflowError e) {
            return internalError(e);
        }
    }

    public ValidationResult validate(JsonNode document) {
        return validate(document, null);
    }

    /**
     * @param document     a tree parsed by the caller (it is not changed)
     * @param listFormName the name of a list-form workflow (the api's {@code ?name=}); null to
     *                     name it after its hook's path. An object-form document names itself
     *                     and this is ignored.
     */
    public ValidationResult validate(JsonNode document, String listFormName) {
        try {
            if (document == null || document.isMissingNode()) {
                return rejected(new Diagnostic("", "the document is empty"));
            }
            Optional<Diagnostic> tooBig = DocumentLimits.check(document);
            if (tooBig.isPresent()) {
                return rejected(tooBig.get());
            }
            if (document.isArray()) {
                return validateListForm((ArrayNode) document, listFormName);
            }
            Diagnostics out = new Diagnostics();
            WorkflowDefinition definition = reader.read(document, out);
            return ValidationResult.of(definition, out);
        } catch (RuntimeException | StackOverflowError e) {
            return internalError(e);
        }
    }

    private ValidationResult validateListForm(ArrayNode document, String name) {
        ListForm.Translation translation = ListForm.translate(document, name, types);
        Diagnostics out = new Diagnostics();
        out.addAll(translation.problems(), UnaryOperator.identity());
        boolean nothingTranslated = translation.document().path("blocks").isEmpty() && !document.isEmpty();
        if (nothingTranslated) {
            return ValidationResult.of(null, out);
        }
        Diagnostics objectForm = new Diagnostics();
        WorkflowDefinition definition = reader.read(translation.document(), objectForm);
        out.addAll(objectForm, translation.pointers());
        return ValidationResult.of(definition, out);
    }

    private static ValidationResult rejected(Diagnostic problem) {
        Diagnostics out = new Diagnostics();
        out.error(problem.pointer(), problem.message());
        return ValidationResult.of(null, out);
    }

    /** A bug of ours must still answer as a validation result; the fuzz tests keep this unreachable. */
    private static ValidationResult internalError(Throwable e) {
        return rejected(new Diagnostic("", "the workflow could not be validated because of an internal error ("
                + e.getClass().getSimpleName() + "); please report it"));
    }
}
