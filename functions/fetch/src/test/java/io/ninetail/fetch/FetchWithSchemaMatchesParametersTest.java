package io.ninetail.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import io.ninetail.core.definition.BlockTypes;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The published schema of fetch's {@code with} (ninetail-core, {@code ninetail/blocks/fetch.with.schema.json})
 * describes exactly {@link Fetch.Parameters}: the same keys, the same JSON types, the same
 * required keys. Add a parameter to the record and this fails until the schema has it too, so
 * the validator can never refuse (or wave through) what the block reads.
 *
 * <p>Plain JUnit: no Quarkus, no NATS.
 */
class FetchWithSchemaMatchesParametersTest {

    private static final JsonNode SCHEMA = BlockTypes.builtIn().withSchema("fetch");

    @Test
    void schemaHasExactlyTheParametersKeys() {
        TreeSet<String> inSchema = new TreeSet<>();
        SCHEMA.get("properties").fieldNames().forEachRemaining(inSchema::add);

        assertEquals(recordComponents().keySet(), inSchema);
        assertEquals(false, SCHEMA.get("additionalProperties").asBoolean(true), "unknown keys must be refused");
    }

    @Test
    void schemaTypesAreTheParametersJsonTypes() {
        Map<String, String> fromRecord = new TreeMap<>();
        recordComponents().forEach((name, type) -> fromRecord.put(name, jsonType(type)));
        Map<String, String> fromSchema = new TreeMap<>();
        SCHEMA.get("properties").properties().forEach(p -> fromSchema.put(p.getKey(), jsonType(p.getValue())));

        assertEquals(fromRecord, fromSchema);
    }

    @Test
    void schemaRequiresWhatTheParametersCannotDoWithout() {
        TreeSet<String> required = new TreeSet<>();
        SCHEMA.get("required").forEach(r -> required.add(r.textValue()));

        assertEquals(requiredByRecord(), required);
    }

    private static Map<String, Class<?>> recordComponents() {
        Map<String, Class<?>> components = new TreeMap<>();
        for (RecordComponent component : Fetch.Parameters.class.getRecordComponents()) {
            components.put(component.getName(), component.getType());
        }
        return components;
    }

    /** A component is required when leaving it out (null) makes the record refuse a valid request. */
    private static TreeSet<String> requiredByRecord() {
        RecordComponent[] components = Fetch.Parameters.class.getRecordComponents();
        Object[] valid = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            valid[i] = components[i].getName().equals("url") ? "https://example.com" : null;
        }
        TreeSet<String> required = new TreeSet<>();
        for (int i = 0; i < components.length; i++) {
            Object[] without = Arrays.copyOf(valid, valid.length);
            without[i] = null;
            if (!constructs(without)) {
                required.add(components[i].getName());
            }
        }
        return required;
    }

    private static boolean constructs(Object[] arguments) {
        Class<?>[] types = Arrays.stream(Fetch.Parameters.class.getRecordComponents())
                .map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            Constructor<Fetch.Parameters> constructor = Fetch.Parameters.class.getDeclaredConstructor(types);
            constructor.newInstance(arguments);
            return true;
        } catch (InvocationTargetException refused) {
            return false;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How Jackson reads each Java type from JSON; "any" for a JsonNode. */
    private static String jsonType(Class<?> type) {
        if (type == String.class || type == Duration.class) {
            return "string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (type == Long.class || type == Integer.class || type == long.class || type == int.class) {
            return "integer";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "object";
        }
        if (JsonNode.class.isAssignableFrom(type)) {
            return "any";
        }
        throw new IllegalArgumentException("no JSON type known for " + type + ": extend this test");
    }

    /**
     * The type of a property's schema, looking through the expression alternative
     * ({@code anyOf: [<the value>, expression]}) and the shared definitions it refers to.
     */
    private static String jsonType(JsonNode property) {
        JsonNode value = property.has("anyOf") ? property.get("anyOf").get(0) : property;
        if (value.has("$ref")) {
            String ref = value.get("$ref").textValue();
            return ref.endsWith("/headers") ? "object" : ref.endsWith("uration") ? "string" : "unknown " + ref;
        }
        if (value.has("enum")) {
            return "string";
        }
        return value.has("type") ? value.get("type").textValue() : "any";
    }
}
