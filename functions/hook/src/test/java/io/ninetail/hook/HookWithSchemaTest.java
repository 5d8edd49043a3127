package io.ninetail.hook;

import io.ninetail.testing.WithSchemaDrift;
import org.junit.jupiter.api.Test;

/**
 * A hook's {@code with} is not its function's input (the scheduler adds the request), but its
 * {@code auth} is handed over as it is: that part of the schema must describe exactly
 * {@link Hook.Auth}.
 */
class HookWithSchemaTest {

    @Test
    void authInTheSchemaIsWhatTheFunctionChecks() {
        WithSchemaDrift.assertDescribes(WithSchemaDrift.schema("hook").get("$defs").get("auth"), Hook.Auth.class);
    }
}
