package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.ninetail.core.nats.Subjects;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The schema files say what the code says: the same block types, id and name shapes, duration
 * grammar and limits. (Each block type's {@code with} is kept equal to its parameters record by
 * a test in the block's module, e.g. FetchWithSchemaMatchesParametersTest.)
 */
class WorkflowSchemaTest {

    private static final SchemaLibrary FILES = BlockTypes.builtIn().schemas();
    private static final JsonNode WORKFLOW = FILES.document(WorkflowSchema.ID);
    private static final JsonNode COMMON = FILES.document(SchemaLibrary.COMMON_ID);

    @Test
    void blockTypesAreTheValidators() {
        List<String> inSchema = new ArrayList<>();
        WORKFLOW.at("/$defs/blockType/enum").forEach(t -> inSchema.add(t.textValue()));

        assertEquals(BlockTypes.builtIn().names(), inSchema.stream().sorted().toList());
    }

    @Test
    void everyBlockTypeHasItsWithSchemaInBothForms() {
        for (String type : BlockTypes.builtIn().names()) {
            JsonNode withSchema = BlockTypes.builtIn().withSchema(type);
            assertEquals(SchemaLibrary.withSchemaId(type), withSchema.get("$id").textValue());
            assertTrue(WORKFLOW.at("/$defs/block/allOf").toString().contains(SchemaLibrary.withSchemaId(type)), type);
            assertTrue(WORKFLOW.at("/$defs/listBlock/allOf").toString().contains("\"const\":\"" + type + "\""), type);
        }
    }

    @Test
    void idAndNameShapesAreTheValidators() {
        assertEquals(Subjects.BLOCK_ID.pattern(), WORKFLOW.at("/$defs/blockId/pattern").textValue());
        assertEquals(WorkflowDefinition.NAME_PATTERN, WORKFLOW.at("/$defs/workflow/properties/name/pattern").textValue());
    }

    @Test
    void durationGrammarIsTheValidators() {
        assertEquals(Durations.PATTERN, COMMON.at("/$defs/duration/pattern").textValue());
    }

    @Test
    void limitsAreTheValidators() {
        assertEquals(DefinitionReader.MAX_BLOCKS, WORKFLOW.at("/$defs/workflow/properties/blocks/maxItems").intValue());
        assertEquals(DefinitionReader.MAX_BLOCKS, WORKFLOW.at("/$defs/listForm/maxItems").intValue());
        assertEquals(RetryPolicy.MAX_ATTEMPTS_LIMIT, WORKFLOW.at("/$defs/retry/properties/maxAttempts/maximum").intValue());
    }

    @Test
    void keysAreTheValidators() {
        assertEquals(DefinitionReader.KEYS, names(WORKFLOW.at("/$defs/workflow/properties")));
        assertEquals(BlockReader.KEYS, names(WORKFLOW.at("/$defs/block/properties")));
        assertEquals(RetryReader.KEYS, names(WORKFLOW.at("/$defs/retry/properties")));
    }

    @Test
    void bundledDocumentEmbedsEveryFileUnderItsId() {
        JsonNode bundle = WorkflowSchema.document();

        assertEquals(WorkflowSchema.ID, bundle.get("$id").textValue());
        List<String> embedded = new ArrayList<>();
        bundle.get("$defs").forEach(def -> {
            if (def.has("$id")) {
                embedded.add(def.get("$id").textValue());
            }
        });
        List<String> expected = new ArrayList<>(List.of(SchemaLibrary.COMMON_ID));
        BlockTypes.builtIn().names().forEach(type -> expected.add(SchemaLibrary.withSchemaId(type)));
        assertEquals(expected, embedded);
    }

    private static List<String> names(JsonNode properties) {
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names.stream().sorted().toList();
    }
}
