package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ninetail.core.definition.ValidationResult;
import io.ninetail.core.definition.WorkflowDefinition;
import io.ninetail.core.definition.WorkflowValidator;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiled workflows (jq expressions compiled, graph checked), shared by every run of the same
 * version: compiling is far dearer than looking up, and every event of a run needs one.
 *
 * <p>A definition is looked up by the identity of its node first: the runs this scheduler starts
 * all carry the one node of their workflow's text ({@link #runDefinition}), and keep it from event
 * to event, so most lookups serialise nothing. A run read back from KV carries a node of its own,
 * found by its text once and by identity after.
 */
@ApplicationScoped
public class Definitions {

    private static final int CAPACITY = 512;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A compiled workflow, and its object form as the node that runs of it carry (null when invalid). */
    private record Entry(ValidationResult result, JsonNode json) {
    }

    /** A node compared by identity: JsonNode's own equality walks the whole tree. */
    private record Identity(JsonNode node) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity identity && identity.node == node;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(node);
        }
    }

    private final WorkflowValidator validator = new WorkflowValidator();
    // Guarded by this.
    private final Map<String, Entry> byText = lru();
    private final Map<Identity, Entry> byNode = lru();

    /** The workflow a run carries (object form), validated once per distinct text. */
    public ValidationResult compile(JsonNode definition) {
        return entry(definition).result();
    }

    /**
     * The object form that a new run of {@code definition} carries: one node for every run of the
     * same text. Requires a valid definition.
     */
    public JsonNode runDefinition(JsonNode definition) {
        JsonNode json = entry(definition).json();
        if (json == null) {
            throw new IllegalArgumentException("an invalid workflow starts no run");
        }
        return json;
    }

    private Entry entry(JsonNode definition) {
        Identity identity = new Identity(definition);
        synchronized (this) {
            Entry hit = byNode.get(identity);
            if (hit != null) {
                return hit;
            }
        }
        String text = definition.toString();
        Entry entry;
        synchronized (this) {
            entry = byText.get(text);
        }
        if (entry == null) {
            ValidationResult result = validator.validate(definition);
            entry = new Entry(result, result.definition().map(Definitions::carried).orElse(null));
        }
        synchronized (this) {
            byText.putIfAbsent(text, entry);
            byNode.put(identity, entry);
            if (entry.json() != null) {
                byNode.put(new Identity(entry.json()), entry);
            }
        }
        return entry;
    }

    /**
     * The object form as a node that writes itself as the bytes it was made from: every write of
     * every run of the workflow holds it, and serialising its kilobyte again each time was a
     * fifth of what writing a run costs.
     */
    private static JsonNode carried(WorkflowDefinition definition) {
        try {
            return ReceivedObject.read(JSON, JSON.writeValueAsBytes(definition.toJson()));
        } catch (IOException e) {
            throw new UncheckedIOException("a definition's own JSON did not read back", e);
        }
    }

    private static <K> Map<K, Entry> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Entry> eldest) {
                return size() > CAPACITY;
            }
        };
    }
}
