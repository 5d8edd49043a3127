package io.ninetail.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.ninetail.core.definition.BlockTypes;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Keeps a block's published {@code with} schema (ninetail-core, {@code ninetail/blocks/}) and the
 * record its function reads the same: same keys, same JSON types, unknown keys refused. Each
 * block module calls it from a plain JUnit test, so adding a parameter to the record fails the
 * build until the schema has it too, and the validator can never refuse (or wave through) what
 * the block reads.
 */
public final class WithSchemaDrift {

    private WithSchemaDrift() {
    }

    /** The {@code with} schema of a built-in block type. */
    public static JsonNode schema(String blockType) {
        return BlockTypes.builtIn().withSchema(blockType);
    }

    /** {@code object} (a schema object with properties) describes exactly {@code record}'s components. */
    public static void assertDescribes(JsonNode object, Class<? extends Record> record) {
        Map<String, String> fromRecord = new TreeMap<>();
        for (RecordComponent component : record.getRecordComponents()) {
            fromRecord.put(component.getName(), jsonType(component.getType()));
        }
        Map<String, String> fromSchema = new TreeMap<>();
        object.get("properties").properties().forEach(p -> fromSchema.put(p.getKey(), jsonType(p.getValue())));
        assertEquals(new TreeSet<>(fromRecord.keySet()), new TreeSet<>(fromSchema.keySet()),
                "the schema's keys are " + record.getSimpleName() + "'s components");
        assertEquals(fromRecord, fromSchema, "the schema's types are how Jackson reads " + record.getSimpleName());
        assertEquals(false, object.path("additionalProperties").asBoolean(true), "unknown keys must be refused");
    }

    /** How Jackson reads each Java type from JSON; "any" for a JsonNode. */
    static String jsonType(Class<?> type) {
        if (type == String.class || type == Duration.class) {
            return "string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (type == Long.class || type == Integer.class || type == long.class || type == int.class) {
            return "integer";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "object";
        }
        if (JsonNode.class.isAssignableFrom(type)) {
            return "any";
        }
        throw new IllegalArgumentException("no JSON type known for " + type + ": extend WithSchemaDrift");
    }

    /**
     * The type of a property's schema, looking through the expression alternative
     * ({@code anyOf: [<the value>, expression]}) and the shared definitions it refers to.
     */
    static String jsonType(JsonNode property) {
        JsonNode value = property.has("anyOf") ? property.get("anyOf").get(0) : property;
        if (value.has("$ref")) {
            String ref = value.get("$ref").textValue();
            if (ref.endsWith("/headers") || ref.endsWith("/auth")) {
                return "object";
            }
            return ref.endsWith("uration") ? "string" : "unknown " + ref;
        }
        if (value.has("enum")) {
            return "string";
        }
        if (!value.has("type")) {
            return "any";
        }
        JsonNode type = value.get("type");
        return type.isTextual() ? type.textValue() : "any";
    }
}
