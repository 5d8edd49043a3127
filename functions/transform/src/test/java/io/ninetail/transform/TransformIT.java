package io.ninetail.transform;

import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The Knative trigger tests against the packaged app (the jar here; the native binary with -Dnative). */
@QuarkusIntegrationTest
@WithTestResource(NatsServerResource.class)
class TransformIT extends TransformKnativeTriggerTest {
}
