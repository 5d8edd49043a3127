package io.ninetail.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A generated manifest in a canonical form: the Quarkus Kubernetes extension writes map keys and
 * the lists env, envFrom, volumes and volumeMounts in an order that changes from build to build
 * (hash order), so the checked-in copy is the same document with keys sorted and those lists
 * sorted (by name, then content), which means exactly the same to Kubernetes.
 */
final class Normalized {

    private static final Set<String> UNORDERED = Set.of("env", "envFrom", "volumes", "volumeMounts");
    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .disable(YAMLGenerator.Feature.SPLIT_LINES)
                    .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                    .build())
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Normalized() {
    }

    /** The documents of a YAML text, canonical. */
    static List<JsonNode> documents(String yaml) {
        try (var parser = YAML.createParser(yaml)) {
            List<JsonNode> documents = new ArrayList<>();
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode document = it.next();
                if (document != null && !document.isMissingNode() && !document.isNull()) {
                    documents.add(canonical(document, null));
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documents as YAML, keys sorted, each starting with {@code ---}. */
    static String yaml(List<JsonNode> documents) {
        StringBuilder out = new StringBuilder();
        for (JsonNode document : documents) {
            try {
                out.append(YAML.writeValueAsString(YAML.convertValue(document, Map.class)));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.toString();
    }

    /** An item's name, then the whole item with its keys sorted: the same for the same item, whatever order it came in. */
    private static String sortKey(JsonNode item) {
        try {
            return item.path("name").asText() + "\u0000" + YAML.writeValueAsString(YAML.convertValue(item, Object.class));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode canonical(JsonNode node, String key) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                object.set(name, canonical(object.get(name), name));
            }
            return object;
        }
        if (node instanceof ArrayNode array) {
            List<JsonNode> items = new ArrayList<>();
            array.forEach(item -> items.add(canonical(item, null)));
            if (UNORDERED.contains(key)) {
                items.sort(Comparator.comparing(Normalized::sortKey));
            }
            ArrayNode sorted = array.arrayNode();
            sorted.addAll(items);
            return sorted;
        }
        return node;
    }
}
