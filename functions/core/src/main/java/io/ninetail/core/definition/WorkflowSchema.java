package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON Schema (2020-12) of workflow documents, both forms, as the api publishes it
 * ({@code GET /workflows/schema}).
 *
 * <p>In the repository it is several files under {@code ninetail/} (the workflow, shared
 * definitions, one {@code with} schema per block type), which refer to each other by
 * {@code $id}. {@link #document()} bundles them into one document, the files embedded under
 * {@code $defs} with their {@code $id}s, so a client needs nothing else to resolve it.
 *
 * <p>The validator checks more than a schema can say (unique ids, needs that exist and form no
 * cycle, jq syntax, hook routes); every document it accepts, the schema accepts too.
 */
public final class WorkflowSchema {

    public static final String ID = SchemaLibrary.WORKFLOW_ID;

    private static final JsonNode BUNDLE = bundle(BlockTypes.builtIn());

    private WorkflowSchema() {
    }

    /** The bundled schema; a copy. */
    public static JsonNode document() {
        return BUNDLE.deepCopy();
    }

    private static JsonNode bundle(BlockTypes types) {
        SchemaLibrary library = types.schemas();
        ObjectNode bundle = library.document(ID).deepCopy();
        ObjectNode defs = (ObjectNode) bundle.get("$defs");
        defs.set("ninetail-common", library.document(SchemaLibrary.COMMON_ID).deepCopy());
        types.names().forEach(type -> defs.set("ninetail-with-" + type,
                library.document(SchemaLibrary.withSchemaId(type)).deepCopy()));
        return bundle;
    }
}
