package io.ninetail.core.definition;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.ninetail.core.nats.Subjects;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Reads one block of the object form, reporting every field that is missing, unknown or wrong. */
final class BlockReader {

    static final List<String> KEYS = List.of("description", "id", "if", "needs", "onError", "retry", "runIf",
            "timeout", "type", "with");

    private final BlockTypes types;
    private final ParameterCheck parameters;

    BlockReader(BlockTypes types, ParameterCheck parameters) {
        this.types = types;
        this.parameters = parameters;
    }

    /** Null when the block is not even an object. */
    BlockDraft read(JsonNode block, int index, JsonPointer pointer, Diagnostics out) {
        if (!block.isObject()) {
            out.error(pointer.toString(), BlockDraft.label(index, null) + " must be an object, was " + Texts.describe(block));
            return null;
        }
        String id = readId(block, index, pointer, out);
        String label = BlockDraft.label(index, id);
        for (Map.Entry<String, JsonNode> field : block.properties()) {
            if (!KEYS.contains(field.getKey())) {
                out.error(pointer.appendProperty(field.getKey()).toString(), label + ": " + unknownKey(field.getKey(), KEYS));
            }
        }
        BlockType type = readType(block, label, pointer, out);
        String description = readDescription(block, label, pointer, out);
        List<BlockDraft.Need> needs = readNeeds(block, label, pointer, out);
        String typedLabel = (type == null ? "" : type.name() + " ") + label;
        JsonNode with = block.get("with");
        Template template = null;
        if (type != null) {
            template = parameters.check(type, with, pointer, id == null ? "#" + index : id, typedLabel, out);
        } else if (with != null && !with.isObject()) {
            out.error(pointer.appendProperty("with").toString(), label + ": with must be an object, was " + Texts.describe(with));
        }
        Expression condition = readCondition(block, id == null ? "#" + index : id, label, pointer, out);
        RunIf runIf = readWord(block, "runIf", RunIf.values(), RunIf::json, label, pointer, out).orElse(RunIf.SUCCESS);
        OnError onError = readWord(block, "onError", OnError.values(), OnError::json, label, pointer, out).orElse(OnError.FAIL);
        RetryPolicy retry = new RetryReader(label).read(block.get("retry"), pointer.appendProperty("retry"), out);
        Duration timeout = readTimeout(block, label, pointer, out);
        return new BlockDraft(index, pointer, id, type, description, needs, with, template, condition, runIf, retry,
                timeout, onError);
    }

    static String unknownKey(String key, List<String> known) {
        return "unknown key '" + Texts.excerpt(key) + "'" + Suggestions.didYouMean(key, known)
                + " (known: " + String.join(", ", known) + ")";
    }

    private static String readId(JsonNode block, int index, JsonPointer pointer, Diagnostics out) {
        JsonNode id = block.get("id");
        String label = BlockDraft.label(index, null);
        if (id == null) {
            out.error(pointer.toString(), label + ": missing required key 'id'");
            return null;
        }
        if (!id.isTextual()) {
            out.error(pointer.appendProperty("id").toString(), label + ": id must be a string, was " + Texts.describe(id));
            return null;
        }
        if (!Subjects.BLOCK_ID.matcher(id.textValue()).matches()) {
            out.error(pointer.appendProperty("id").toString(), label + ": id '" + Texts.excerpt(id.textValue())
                    + "' must be a lower-case letter followed by up to 62 of a-z, 0-9, _ and -");
        }
        return id.textValue();
    }

    private BlockType readType(JsonNode block, String label, JsonPointer pointer, Diagnostics out) {
        JsonNode type = block.get("type");
        if (type == null) {
            out.error(pointer.toString(), label + ": missing required key 'type'");
            return null;
        }
        if (!type.isTextual()) {
            out.error(pointer.appendProperty("type").toString(), label + ": type must be a string, was " + Texts.describe(type));
            return null;
        }
        Optional<BlockType> known = types.find(type.textValue());
        if (known.isEmpty()) {
            out.error(pointer.appendProperty("type").toString(), label + ": unknown block type '"
                    + Texts.excerpt(type.textValue()) + "'" + Suggestions.didYouMean(type.textValue(), types.names())
                    + " (known: " + String.join(", ", types.names()) + ")");
        }
        return known.orElse(null);
    }

    private static String readDescription(JsonNode block, String label, JsonPointer pointer, Diagnostics out) {
        JsonNode description = block.get("description");
        if (description != null && !description.isTextual()) {
            out.error(pointer.appendProperty("description").toString(),
                    label + ": description must be a string, was " + Texts.describe(description));
            return null;
        }
        return description == null ? null : description.textValue();
    }

    private static List<BlockDraft.Need> readNeeds(JsonNode block, String label, JsonPointer pointer, Diagnostics out) {
        JsonNode needs = block.get("needs");
        List<BlockDraft.Need> read = new ArrayList<>();
        if (needs == null) {
            return read;
        }
        JsonPointer at = pointer.appendProperty("needs");
        if (!needs.isArray()) {
            out.error(at.toString(), label + ": needs must be an array of block ids, was " + Texts.describe(needs));
            return read;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < needs.size(); i++) {
            JsonNode need = needs.get(i);
            if (!need.isTextual()) {
                out.error(at.appendIndex(i).toString(), label + ": needs holds block ids, was " + Texts.describe(need));
            } else if (!seen.add(need.textValue())) {
                out.error(at.appendIndex(i).toString(), label + " needs '" + Texts.excerpt(need.textValue()) + "' twice");
            } else {
                read.add(new BlockDraft.Need(need.textValue(), at.appendIndex(i)));
            }
        }
        return read;
    }

    private static Expression readCondition(JsonNode block, String blockId, String label, JsonPointer pointer,
                                            Diagnostics out) {
        JsonNode condition = block.get("if");
        if (condition == null) {
            return null;
        }
        JsonPointer at = pointer.appendProperty("if");
        if (!condition.isTextual() || condition.textValue().isBlank()) {
            out.error(at.toString(), label + ": if must be a jq expression (a non-empty string), was "
                    + Texts.describe(condition));
            return null;
        }
        return new TemplateCompiler(blockId, label, out).condition(condition.textValue(), at);
    }

    private static <T> Optional<T> readWord(JsonNode block, String key, T[] values, Function<T, String> word,
                                            String label, JsonPointer pointer, Diagnostics out) {
        JsonNode value = block.get(key);
        if (value == null) {
            return Optional.empty();
        }
        for (T candidate : values) {
            if (value.isTextual() && word.apply(candidate).equals(value.textValue())) {
                return Optional.of(candidate);
            }
        }
        List<String> words = Arrays.stream(values).map(word).toList();
        out.error(pointer.appendProperty(key).toString(), label + ": " + key + " must be one of "
                + String.join(", ", words) + ", was " + Texts.describe(value));
        return Optional.empty();
    }

    private static Duration readTimeout(JsonNode block, String label, JsonPointer pointer, Diagnostics out) {
        JsonNode timeout = block.get("timeout");
        if (timeout == null) {
            return null;
        }
        return DurationField.readTimeout(timeout, label, pointer.appendProperty("timeout"), out);
    }
}
