package io.ninetail.core.definition;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The founder's list form, translated into the object form (DESIGN §4):
 *
 * <pre>{@code
 * [{"type":"hook","path":"test"},
 *  {"type":"fetch","parameter":{"url":"https://localhost:4000"}},
 *  {"type":"html-scraper","parameter":[{"tags":"h1","limit":5},{"tags":"h2","limit":5}]},
 *  {"type":"response","header":[{"content-type":"json"}],"body":"{}"}]
 * }</pre>
 *
 * <ul>
 *   <li>blocks run in order: each needs the one before;</li>
 *   <li>ids are the type, then {@code -2}, {@code -3}… for repeats: {@code hook}, {@code fetch},
 *       {@code html-scraper}, {@code response};</li>
 *   <li>hook: {@code path}, {@code method} are its {@code with}; fetch and transform:
 *       {@code parameter} is;</li>
 *   <li>html-scraper: each {@code {"tags": "h1", "limit": 5}} becomes
 *       {@code extract.h1 = {"selector": "h1", "limit": 5}}: a list of the texts of at most five
 *       matches (no limit: the first match); the page is the previous block's body;</li>
 *   <li>response: {@code header} (an array of {@code {name: value}}, or one object) becomes
 *       {@code headers}, where a short content type means the full one ({@code json} →
 *       {@code application/json}); {@code "body": "{}"}, {@code {}} or no body means "the previous
 *       block's output", which is response's default body. So the example answers the scraped
 *       data as JSON: {@code {"h1": […], "h2": […]}};</li>
 *   <li>the name is the caller's (the api's {@code ?name=}), else the first hook's path.</li>
 * </ul>
 *
 * Problems in the list form itself are reported here; the translation is then checked like any
 * object-form document, with pointers mapped back to the array.
 */
final class ListForm {

    record Translation(ObjectNode document, PointerMap pointers, Diagnostics problems) {
    }

    static final Map<String, String> CONTENT_TYPES = Map.of(
            "json", "application/json",
            "html", "text/html; charset=utf-8",
            "text", "text/plain; charset=utf-8",
            "xml", "application/xml");

    private static final Map<String, List<String>> KEYS = Map.of(
            BlockTypes.HOOK, List.of("method", "path", "type"),
            BlockTypes.FETCH, List.of("parameter", "type"),
            BlockTypes.HTML_SCRAPER, List.of("parameter", "type"),
            BlockTypes.RESPONSE, List.of("body", "header", "status", "type"),
            BlockTypes.TRANSFORM, List.of("parameter", "type"));
    private static final List<String> EXTRACTION_KEYS = List.of("all", "attribute", "html", "limit", "outerHtml",
            "ownText", "tags", "text", "trim");

    private final BlockTypes types;
    private final Diagnostics out = new Diagnostics();
    private final PointerMap pointers = new PointerMap();
    private final Map<String, Integer> typeCounts = new HashMap<>();

    private ListForm(BlockTypes types) {
        this.types = types;
    }

    /**
     * @param name the caller's name for the workflow; null to name it after its hook's path
     */
    static Translation translate(ArrayNode list, String name, BlockTypes types) {
        return new ListForm(types).translate(list, name);
    }

    private Translation translate(ArrayNode list, String name) {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("name", name != null ? name : nameFromHook(list).orElse("unnamed"));
        if (name == null && nameFromHook(list).isEmpty() && !list.isEmpty()) {
            out.error("", "a list-form workflow needs a name: give one (the api's ?name=…), or start it with a hook,"
                    + " whose path names it");
        }
        ArrayNode blocks = document.putArray("blocks");
        String previous = null;
        for (int i = 0; i < list.size(); i++) {
            JsonPointer at = JsonPointer.empty().appendIndex(i);
            ObjectNode block = block(list.get(i), i, at, previous, blocks.size());
            if (block != null) {
                blocks.add(block);
                previous = block.get("id").textValue();
            }
        }
        return new Translation(document, pointers, out);
    }

    private ObjectNode block(JsonNode item, int index, JsonPointer at, String previous, int position) {
        String label = "block #" + index;
        if (!item.isObject()) {
            out.error(at.toString(), label + " must be an object, was " + Texts.describe(item));
            return null;
        }
        JsonNode type = item.get("type");
        if (type == null) {
            out.error(at.toString(), label + ": missing required key 'type'");
            return null;
        }
        if (!type.isTextual() || types.find(type.textValue()).isEmpty()) {
            out.error(at.appendProperty("type").toString(), type.isTextual()
                    ? label + ": unknown block type '" + Texts.excerpt(type.textValue()) + "'"
                    + Suggestions.didYouMean(type.textValue(), types.names()) + " (known: " + String.join(", ", types.names()) + ")"
                    : label + ": type must be a string, was " + Texts.describe(type));
            return null;
        }
        String typeName = type.textValue();
        int count = typeCounts.merge(typeName, 1, Integer::sum);
        String id = count == 1 ? typeName : typeName + "-" + count;
        String typedLabel = typeName + " block '" + id + "'";
        List<String> known = KEYS.getOrDefault(typeName, List.of("parameter", "type"));
        item.fieldNames().forEachRemaining(key -> {
            if (!known.contains(key)) {
                out.error(at.appendProperty(key).toString(), typedLabel + ": " + BlockReader.unknownKey(key, known)
                        .replace("unknown key", "unknown list-form key"));
            }
        });

        String translated = "/blocks/" + position;
        pointers.map(translated, at.toString());
        pointers.map(translated + "/with", at.toString());
        ObjectNode block = JsonNodeFactory.instance.objectNode();
        block.put("id", id);
        block.put("type", typeName);
        if (previous != null) {
            block.putArray("needs").add(previous);
        }
        ObjectNode with = switch (typeName) {
            case BlockTypes.HOOK -> copy(item, List.of("path", "method"));
            case BlockTypes.HTML_SCRAPER -> extraction(item, at, typedLabel, translated);
            case BlockTypes.RESPONSE -> response(item, at, typedLabel, translated);
            default -> parameter(item, at, typedLabel, translated);
        };
        if (with == null) {
            return null;
        }
        block.set("with", with);
        return block;
    }

    private ObjectNode parameter(JsonNode item, JsonPointer at, String label, String translated) {
        JsonNode parameter = item.get("parameter");
        if (parameter == null) {
            out.error(at.toString(), label + ": missing required key 'parameter'");
            return null;
        }
        if (!parameter.isObject()) {
            out.error(at.appendProperty("parameter").toString(), label + ": parameter must be an object, was "
                    + Texts.describe(parameter));
            return null;
        }
        pointers.map(translated + "/with", at.appendProperty("parameter").toString());
        return parameter.deepCopy();
    }

    private ObjectNode extraction(JsonNode item, JsonPointer at, String label, String translated) {
        JsonNode parameter = item.get("parameter");
        JsonPointer parameterAt = at.appendProperty("parameter");
        if (parameter == null) {
            out.error(at.toString(), label + ": missing required key 'parameter'");
            return null;
        }
        if (!parameter.isArray() || parameter.isEmpty()) {
            out.error(parameterAt.toString(), label + ": parameter must be a non-empty array of {\"tags\": …} entries, was "
                    + Texts.describe(parameter));
            return null;
        }
        pointers.map(translated + "/with", parameterAt.toString());
        ObjectNode with = JsonNodeFactory.instance.objectNode();
        ObjectNode extract = with.putObject("extract");
        Map<String, Integer> names = new HashMap<>();
        boolean broken = false;
        for (int j = 0; j < parameter.size(); j++) {
            JsonNode entry = parameter.get(j);
            JsonPointer entryAt = parameterAt.appendIndex(j);
            if (!entry.isObject()) {
                out.error(entryAt.toString(), label + ": parameter entries must be objects like {\"tags\": \"h1\", \"limit\": 5}, was "
                        + Texts.describe(entry));
                broken = true;
                continue;
            }
            JsonNode tags = entry.get("tags");
            if (tags == null || !tags.isTextual() || tags.textValue().isBlank()) {
                out.error(tags == null ? entryAt.toString() : entryAt.appendProperty("tags").toString(), label
                        + (tags == null ? ": missing required key 'tags'" : ": tags must be a CSS selector such as h1, was "
                        + Texts.describe(tags)));
                broken = true;
                continue;
            }
            entry.fieldNames().forEachRemaining(key -> {
                if (!EXTRACTION_KEYS.contains(key)) {
                    out.error(entryAt.appendProperty(key).toString(), label + ": " + BlockReader.unknownKey(key, EXTRACTION_KEYS));
                }
            });
            int count = names.merge(tags.textValue(), 1, Integer::sum);
            String name = count == 1 ? tags.textValue() : tags.textValue() + "-" + count;
            ObjectNode extraction = extract.putObject(name);
            extraction.put("selector", tags.textValue());
            entry.properties().stream()
                    .filter(e -> !e.getKey().equals("tags") && EXTRACTION_KEYS.contains(e.getKey()))
                    .forEach(e -> extraction.set(e.getKey(), e.getValue().deepCopy()));
            String extractionPointer = translated + "/with/extract/" + escape(name);
            pointers.map(extractionPointer, entryAt.toString());
            pointers.map(extractionPointer + "/selector", entryAt.appendProperty("tags").toString());
        }
        return broken ? null : with;
    }

    private ObjectNode response(JsonNode item, JsonPointer at, String label, String translated) {
        ObjectNode with = copy(item, List.of("status"));
        JsonNode header = item.get("header");
        if (header != null) {
            JsonPointer headerAt = at.appendProperty("header");
            ObjectNode headers = with.putObject("headers");
            pointers.map(translated + "/with/headers", headerAt.toString());
            if (header.isObject()) {
                addHeaders(header, headers, headerAt, translated);
            } else if (header.isArray()) {
                boolean broken = false;
                for (int j = 0; j < header.size(); j++) {
                    if (header.get(j).isObject()) {
                        addHeaders(header.get(j), headers, headerAt.appendIndex(j), translated);
                    } else {
                        out.error(headerAt.appendIndex(j).toString(), label + ": header entries must be objects like"
                                + " {\"content-type\": \"json\"}, was " + Texts.describe(header.get(j)));
                        broken = true;
                    }
                }
                if (broken) {
                    return null;
                }
            } else {
                out.error(headerAt.toString(), label + ": header must be an array of {\"name\": \"value\"} objects, was "
                        + Texts.describe(header));
                return null;
            }
        }
        JsonNode body = item.get("body");
        boolean previousOutput = body == null || body.isObject() && body.isEmpty()
                || body.isTextual() && body.textValue().trim().equals("{}");
        if (!previousOutput) {
            with.set("body", body.deepCopy());
        }
        return with;
    }

    private void addHeaders(JsonNode header, ObjectNode headers, JsonPointer at, String translated) {
        header.properties().forEach(e -> {
            JsonNode value = e.getValue();
            String shortType = value.isTextual() ? value.textValue().trim().toLowerCase(Locale.ROOT) : null;
            if (e.getKey().equalsIgnoreCase("content-type") && shortType != null && CONTENT_TYPES.containsKey(shortType)) {
                value = JsonNodeFactory.instance.textNode(CONTENT_TYPES.get(shortType));
            }
            headers.set(e.getKey(), value.deepCopy());
            pointers.map(translated + "/with/headers/" + escape(e.getKey()), at.appendProperty(e.getKey()).toString());
        });
    }

    private static ObjectNode copy(JsonNode item, List<String> keys) {
        ObjectNode with = JsonNodeFactory.instance.objectNode();
        keys.forEach(key -> {
            if (item.has(key)) {
                with.set(key, item.get(key).deepCopy());
            }
        });
        return with;
    }

    /** The first hook's path as a workflow name: {@code /orders/new/} → {@code orders-new}. */
    private static Optional<String> nameFromHook(ArrayNode list) {
        for (JsonNode item : list) {
            if (item.isObject() && BlockTypes.HOOK.equals(item.path("type").asText(null)) && item.path("path").isTextual()) {
                String name = item.path("path").textValue().toLowerCase(Locale.ROOT)
                        .replaceAll("^/+|/+$", "").replaceAll("[^a-z0-9_-]", "-");
                return name.isEmpty() ? Optional.empty() : Optional.of(name.length() > 64 ? name.substring(0, 64) : name);
            }
        }
        return Optional.empty();
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
