package io.ninetail.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import io.ninetail.core.definition.BlockTypes;
import io.ninetail.core.definition.WorkflowValidator;
import io.ninetail.testing.WithSchemaDrift;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.io.UncheckedIOException;
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

    /** Durations in either form (docs/workflows.md, Durations): what the validator lets through, the block reads. */
    @ParameterizedTest
    @ValueSource(strings = {"PT10S", "PT0.5S", "10s", "500ms", "2m", "10 sec", "soon", "10S", "-PT1S"})
    void timeoutIsADurationForTheValidatorAndTheBlockAlike(String timeout) {
        String with = "{\"url\": \"https://example.com\", \"timeout\": \"" + timeout + "\"}";
        boolean validatorAccepts = new WorkflowValidator().validate(
                "{\"name\": \"x\", \"blocks\": [{\"id\": \"a\", \"type\": \"fetch\", \"with\": " + with + "}]}").valid();
        boolean blockReads;
        try {
            Fetching.parameters(with);
            blockReads = true;
        } catch (UncheckedIOException refused) {
            blockReads = false;
        }
        assertEquals(validatorAccepts, blockReads, timeout);
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
