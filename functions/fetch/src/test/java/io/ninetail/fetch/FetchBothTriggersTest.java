package io.ninetail.fetch;

import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.provider.Arguments;

import java.util.stream.Stream;

/**
 * Every parameter and every error code of fetch ({@link FetchCases}) through both triggers of the
 * running function, JetStream and the Knative Events HTTP endpoint, as the test profile deploys
 * it: loopback allowed. The loopback refusal itself is {@link FetchBothTriggersGuardOnTest}.
 */
@QuarkusTest
@WithTestResource(NatsServerResource.class)
class FetchBothTriggersTest extends ThroughBothTriggers {

    private static final FetchCases CASES = new FetchCases();

    static Stream<Arguments> cases() {
        return onBothTriggers(CASES.loopbackAllowed());
    }

    @AfterAll
    static void stopSites() throws Exception {
        CASES.close();
    }
}
