package io.ninetail.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import io.ninetail.core.definition.BlockTypes;
import io.ninetail.testing.WithSchemaDrift;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
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
    void schemaDescribesExactlyTheParameters() {
        WithSchemaDrift.assertDescribes(SCHEMA, Fetch.Parameters.class);
    }

    @Test
    void schemaRequiresWhatTheParametersCannotDoWithout() {
        TreeSet<String> required = new TreeSet<>();
        SCHEMA.get("required").forEach(r -> required.add(r.textValue()));

        assertEquals(requiredByRecord(), required);
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
}
