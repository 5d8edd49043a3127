package io.ninetail.fetch;

import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import java.util.Map;

/**
 * The Knative trigger tests against the packaged app (the jar here; the native binary with -Dnative),
 * which runs in its prod profile: it is told to reach the test's site on 127.0.0.1.
 */
@QuarkusIntegrationTest
@WithTestResource(NatsServerResource.class)
@WithTestResource(FetchIT.LoopbackAllowed.class)
class FetchIT extends FetchKnativeTriggerTest {

    public static class LoopbackAllowed implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("ninetail.fetch.allow-loopback", "true");
        }

        @Override
        public void stop() {
        }
    }
}
