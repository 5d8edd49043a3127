package io.ninetail.core.definition;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.JsonSchema;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Checks one block's {@code with} against its type, and compiles it: the type's JSON Schema
 * (the one description of its parameters, also published to editors), its expressions, and
 * the type's own rules. Thread-safe: schemas are compiled once and only read.
 */
final class ParameterCheck {

    private final Map<String, JsonSchema> schemas;
    private final SchemaMessages messages;

    ParameterCheck(BlockTypes types) {
        this.schemas = types.names().stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                type -> types.schemas().schema(SchemaLibrary.withSchemaId(type))));
        this.messages = new SchemaMessages(types.schemas());
    }

    /**
     * @param with         the block's {@code with}, null when left out (checked as {@code {}})
     * @param blockPointer where the block is; findings about a left-out {@code with} point here
     * @return the compiled parameters; null when any finding is an error
     */
    Template check(BlockType type, JsonNode with, JsonPointer blockPointer, String blockId, String label,
                   Diagnostics out) {
        JsonPointer withPointer = blockPointer.appendProperty("with");
        if (with != null && !with.isObject()) {
            out.error(withPointer.toString(), label + ": with must be an object, was " + Texts.describe(with));
            return null;
        }
        JsonNode parameters = with == null ? JsonNodeFactory.instance.objectNode() : with;
        int before = out.errorCount();

        Diagnostics expressions = new Diagnostics();
        Template template = type.fixedParameters() ? new Template.Literal(parameters)
                : new TemplateCompiler(blockId, label, expressions).compile(parameters, withPointer);
        out.addAll(expressions, UnaryOperator.identity());
        // An unclosed ${ also breaks the schema's expression pattern: say it once, the precise way.
        Set<String> explained = new HashSet<>();
        expressions.errors().forEach(d -> explained.add(d.pointer()));

        for (SchemaMessages.Finding finding : messages.describe(schemas.get(type.name()).validate(parameters), parameters)) {
            String pointer = with == null ? blockPointer.toString() : withPointer + finding.pointer();
            if (!explained.contains(pointer)) {
                out.error(pointer, label + ": " + finding.message());
            }
        }
        type.rule().check(parameters, withPointer, label, out);
        return out.errorCount() == before ? template : null;
    }
}
