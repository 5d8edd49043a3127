package io.ninetail.transform;

import io.ninetail.testing.WithSchemaDrift;
import org.junit.jupiter.api.Test;

/** The published schema of transform's {@code with} describes exactly what the function reads. */
class TransformWithSchemaTest {

    @Test
    void schemaDescribesTheParameters() {
        WithSchemaDrift.assertDescribes(WithSchemaDrift.schema("transform"), Transform.Parameters.class);
    }
}
