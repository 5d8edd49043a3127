package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.util.Set;

/**
 * The published schema, used the way a client would: the bundled document, a JSON Schema
 * validator that knows nothing of our class path (and has no network here). It is only told
 * that {@code errorMessage} is an annotation, which keeps it from logging a warning about it.
 */
final class SchemaValidation {

    private static final JsonSchema PUBLISHED = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                    builder -> builder.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                            .keyword(new AnnotationKeyword("errorMessage")).build()))
            .getSchema(WorkflowSchema.document());

    private SchemaValidation() {
    }

    static Set<ValidationMessage> validate(JsonNode document) {
        return PUBLISHED.validate(document);
    }
}
