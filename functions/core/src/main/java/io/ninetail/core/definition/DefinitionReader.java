package io.ninetail.core.definition;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a document in the object form: checks it all, then builds the definition when nothing
 * was wrong. Every problem is reported; a broken part is skipped, not allowed to stop the rest.
 */
final class DefinitionReader {

    static final List<String> KEYS = List.of("$schema", "blocks", "description", "name", "timeout");
    static final int MAX_BLOCKS = 500;
    private static final Pattern NAME = Pattern.compile(WorkflowDefinition.NAME_PATTERN);

    private final BlockReader blockReader;

    DefinitionReader(BlockTypes types, ParameterCheck parameters) {
        this.blockReader = new BlockReader(types, parameters);
    }

    /** Null when anything is wrong (all of it in {@code out}). */
    WorkflowDefinition read(JsonNode document, Diagnostics out) {
        if (!document.isObject()) {
            out.error("", "a workflow must be a JSON object (or, in the list form, an array of blocks), was "
                    + Texts.describe(document));
            return null;
        }
        document.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                out.error(JsonPointer.empty().appendProperty(key).toString(), BlockReader.unknownKey(key, KEYS));
            }
        });
        String name = readName(document.get("name"), out);
        String description = readText(document, "description", out);
        readText(document, "$schema", out);
        Duration timeout = readTimeout(document.get("timeout"), out);
        List<BlockDraft> blocks = readBlocks(document.get("blocks"), out);
        duplicateIds(blocks, out);
        new GraphCheck(blocks).check(out);
        HookRoutes.check(blocks, out);
        if (out.hasErrors()) {
            return null;
        }
        return new WorkflowDefinition(name, Optional.ofNullable(description), blocks.stream().map(this::build).toList(),
                Optional.ofNullable(timeout));
    }

    private static Duration readTimeout(JsonNode timeout, Diagnostics out) {
        if (timeout == null) {
            return null;
        }
        return DurationField.readTimeout(timeout, null, JsonPointer.compile("/timeout"), out);
    }

    private static String readName(JsonNode name, Diagnostics out) {
        if (name == null) {
            out.error("", "missing required key 'name'");
            return null;
        }
        if (!name.isTextual()) {
            out.error("/name", "name must be a string, was " + Texts.describe(name));
            return null;
        }
        if (!NAME.matcher(name.textValue()).matches()) {
            out.error("/name", "name '" + Texts.excerpt(name.textValue())
                    + "' must be 1 to 64 of a-z, 0-9, _ and -, starting with a letter or digit");
            return null;
        }
        return name.textValue();
    }

    private static String readText(JsonNode document, String key, Diagnostics out) {
        JsonNode value = document.get(key);
        if (value != null && !value.isTextual()) {
            out.error(JsonPointer.empty().appendProperty(key).toString(), key + " must be a string, was " + Texts.describe(value));
            return null;
        }
        return value == null ? null : value.textValue();
    }

    private List<BlockDraft> readBlocks(JsonNode blocks, Diagnostics out) {
        List<BlockDraft> drafts = new ArrayList<>();
        if (blocks == null) {
            out.error("", "missing required key 'blocks'");
            return drafts;
        }
        if (!blocks.isArray()) {
            out.error("/blocks", "blocks must be an array, was " + Texts.describe(blocks));
            return drafts;
        }
        if (blocks.isEmpty()) {
            out.error("/blocks", "a workflow needs at least one block");
            return drafts;
        }
        if (blocks.size() > MAX_BLOCKS) {
            out.error("/blocks", "a workflow has at most " + MAX_BLOCKS + " blocks, this one has " + blocks.size());
            return drafts;
        }
        JsonPointer pointer = JsonPointer.compile("/blocks");
        for (int i = 0; i < blocks.size(); i++) {
            BlockDraft draft = blockReader.read(blocks.get(i), i, pointer.appendIndex(i), out);
            if (draft != null) {
                drafts.add(draft);
            }
        }
        return drafts;
    }

    private static void duplicateIds(List<BlockDraft> blocks, Diagnostics out) {
        Map<String, BlockDraft> first = new HashMap<>();
        for (BlockDraft block : blocks) {
            if (block.id() == null) {
                continue;
            }
            BlockDraft earlier = first.putIfAbsent(block.id(), block);
            if (earlier != null) {
                out.error(block.pointer().appendProperty("id").toString(), block.label()
                        + ": id already used by the block at " + earlier.pointer());
            }
        }
    }

    private BlockDefinition build(BlockDraft draft) {
        List<String> needs = draft.needs().stream().map(BlockDraft.Need::id).toList();
        JsonNode with = draft.with() == null ? JsonNodeFactory.instance.objectNode() : draft.with();
        List<BlockParameters.Default> defaults = new ArrayList<>();
        for (PrimaryInput input : draft.type().primaryInputs()) {
            if (with.has(input.parameter()) || needs.isEmpty()) {
                continue;
            }
            if (needs.size() == 1 || input.acceptsSeveralNeeds()) {
                defaults.add(new BlockParameters.Default(input.parameter(), needs, input.field()));
            }
        }
        return new BlockDefinition(draft.id(), draft.type().name(), Optional.ofNullable(draft.description()), needs,
                new BlockParameters(with, draft.template(), defaults), Optional.ofNullable(draft.condition()),
                draft.runIf(), draft.retry(), Optional.ofNullable(draft.timeout()), draft.onError());
    }
}
