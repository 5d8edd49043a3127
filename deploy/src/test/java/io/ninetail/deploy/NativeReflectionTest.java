package io.ninetail.deploy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import io.ninetail.core.block.Block;
import io.ninetail.core.run.Effect;
import io.ninetail.core.run.Run;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.junit.jupiter.api.Test;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A native image keeps only the reflection it is told about, and Jackson reads and writes records
 * by reflection. Every record that crosses a transport as JSON — each block's parameters and
 * output (found from its {@code Block<P, O>}), the run record with everything inside it, and what
 * the api keeps in NATS or answers as JSON — is registered with {@code @RegisterForReflection},
 * down to the records it contains.
 */
class NativeReflectionTest {

    private static final Map<String, String> BLOCKS = Map.of(
            "fetch", "io.ninetail.fetch.Fetch",
            "html-scraper", "io.ninetail.scraper.HtmlScraper",
            "hook", "io.ninetail.hook.Hook",
            "response", "io.ninetail.response.Response",
            "transform", "io.ninetail.transform.Transform");

    @Test
    void everyRecordJacksonHandlesIsRegisteredForReflection() throws Exception {
        assertEquals(Repo.FUNCTIONS.stream().map(Repo.App::blockType).sorted().toList(),
                BLOCKS.keySet().stream().sorted().toList(), "one block class per function");
        Set<Class<?>> records = new LinkedHashSet<>();
        for (String name : BLOCKS.values()) {
            Class<?> block = Class.forName(name, false, getClass().getClassLoader());
            for (Type type : block.getGenericInterfaces()) {
                if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == Block.class) {
                    for (Type argument : parameterized.getActualTypeArguments()) {
                        collect(argument, records);
                    }
                }
            }
        }
        collect(Run.class, records);
        for (JsonSubTypes.Type subtype : Effect.class.getAnnotation(JsonSubTypes.class).value()) {
            collect(subtype.value(), records);
        }
        List<String> missing = new ArrayList<>();
        for (Class<?> record : records) {
            if (!record.isAnnotationPresent(RegisterForReflection.class)) {
                missing.add(record.getName());
            }
        }
        assertEquals(List.of(), missing, "records without @RegisterForReflection among " + records);
        assertEquals(true, records.size() >= 20, "found " + records);
    }

    /**
     * The api's own types that Jackson reads or writes: the values of the workflows bucket and the
     * problems it answers, with the diagnostics inside them (the rest of its JSON is built as trees).
     */
    private static final List<String> API_TYPES = List.of("io.ninetail.api.WorkflowStore$Stored",
            "io.ninetail.api.WorkflowStore$HookOwner", "io.ninetail.api.Problem", "io.ninetail.core.definition.Diagnostic");

    @Test
    void theApisJsonTypesAreRegisteredForReflection() throws Exception {
        List<String> missing = new ArrayList<>();
        for (String name : API_TYPES) {
            if (!Class.forName(name, false, getClass().getClassLoader()).isAnnotationPresent(RegisterForReflection.class)) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "the api's JSON types without @RegisterForReflection");
    }

    private static void collect(Type type, Set<Class<?>> records) {
        if (type instanceof ParameterizedType parameterized) {
            for (Type argument : parameterized.getActualTypeArguments()) {
                collect(argument, records);
            }
            return;
        }
        if (type instanceof Class<?> cls && cls.isRecord() && records.add(cls)) {
            for (RecordComponent component : cls.getRecordComponents()) {
                collect(component.getGenericType(), records);
            }
        }
    }
}
