package io.ninetail.response;

import io.ninetail.testing.WithSchemaDrift;
import org.junit.jupiter.api.Test;

/** The published schema of response's {@code with} describes exactly what the function reads. */
class ResponseWithSchemaTest {

    @Test
    void schemaDescribesTheParameters() {
        WithSchemaDrift.assertDescribes(WithSchemaDrift.schema("response"), Response.Parameters.class);
    }
}
