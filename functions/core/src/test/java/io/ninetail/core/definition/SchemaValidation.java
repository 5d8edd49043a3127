package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.util.Set;

/**
 * The published schema, used the way a client would: the bundled document, an unconfigured
 * JSON Schema validator (which knows nothing of our class path, and has no network here).
 */
final class SchemaValidation {

    private static final JsonSchema PUBLISHED = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(WorkflowSchema.document());

    private SchemaValidation() {
    }

    static Set<ValidationMessage> validate(JsonNode document) {
        return PUBLISHED.validate(document);
    }
}
