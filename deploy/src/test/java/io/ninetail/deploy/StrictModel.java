package io.ninetail.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;

/**
 * Schema validation with fabric8's typed models. Parsing alone is lenient: a key the model does
 * not know lands in the object's {@code additionalProperties} (and an API server would prune it
 * without a word). So this walks every parsed object and reports each such key, and every
 * document whose kind the models do not know at all.
 */
final class StrictModel {

    private StrictModel() {
    }

    /** Problems of one resource, each naming where: {@code Service ninetail-fetch: spec.template.spec.foo}. */
    static List<String> problems(HasMetadata resource) {
        String name = resource.getKind() + " " + (resource.getMetadata() == null ? "?" : resource.getMetadata().getName());
        List<String> problems = new ArrayList<>();
        if (resource instanceof GenericKubernetesResource) {
            problems.add(name + ": " + resource.getApiVersion() + " " + resource.getKind() + " is not a kind the typed models know");
            return problems;
        }
        walk(resource, "", problems, Collections.newSetFromMap(new IdentityHashMap<>()));
        return problems.stream().sorted().map(problem -> name + ": " + problem).toList();
    }

    private static void walk(Object value, String path, List<String> problems, Set<Object> seen) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?>) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "." + key, problems, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.") || !seen.add(value)) {
            return;
        }
        for (Class<?> type = value.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object fieldValue;
                try {
                    fieldValue = field.get(value);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (field.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        extra.keySet().forEach(key -> problems.add("unknown field " + (path.isEmpty() ? "" : path.substring(1) + ".")
                                + key));
                    }
                    continue;
                }
                walk(fieldValue, path + "." + field.getName(), problems, seen);
            }
        }
    }
}
