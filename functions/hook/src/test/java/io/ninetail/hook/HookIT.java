package io.ninetail.hook;

import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import java.util.Map;

/**
 * The Knative trigger tests against the packaged app (the jar here; the native binary with -Dnative),
 * which runs in its prod profile: its secrets come from the environment of the test, as in a cluster.
 */
@QuarkusIntegrationTest
@WithTestResource(NatsServerResource.class)
@WithTestResource(HookIT.Secrets.class)
class HookIT extends HookKnativeTriggerTest {

    public static class Secrets implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("ninetail.hook.secrets.github", "It's a Secret to Everybody",
                    "ninetail.hook.secrets.partner-token", "s3cr3t-t0ken");
        }

        @Override
        public void stop() {
        }
    }
}
