package io.ninetail.api;

import io.ninetail.testing.WithSchemaDrift;
import org.junit.jupiter.api.Test;

/**
 * The api reads a hook's whole {@code with} (where it listens, how long its caller waits): the
 * hook's with-schema must describe exactly {@link HookRoute.With}, so that a setting the validator
 * accepts is never one the api ignores.
 */
class HookWithSchemaTest {

    @Test
    void theHooksWithSchemaIsWhatTheApiReads() {
        WithSchemaDrift.assertDescribes(WithSchemaDrift.schema("hook"), HookRoute.With.class);
    }
}
