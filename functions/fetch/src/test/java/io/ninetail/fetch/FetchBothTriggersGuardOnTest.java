package io.ninetail.fetch;

import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.provider.Arguments;

import java.util.Map;
import java.util.stream.Stream;

/**
 * The cases of {@link FetchCases} that need the SSRF guard as deployed, loopback refused (the
 * test profile allows it so that the other tests can fetch from 127.0.0.1), through both triggers.
 */
@QuarkusTest
@TestProfile(FetchBothTriggersGuardOnTest.LoopbackRefused.class)
@WithTestResource(NatsServerResource.class)
class FetchBothTriggersGuardOnTest extends ThroughBothTriggers {

    /** The deployed default: {@code ninetail.fetch.allow-loopback=false}. */
    public static class LoopbackRefused implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ninetail.fetch.allow-loopback", "false", "%test.ninetail.fetch.allow-loopback", "false");
        }
    }

    private static final FetchCases CASES = new FetchCases();

    static Stream<Arguments> cases() {
        return onBothTriggers(CASES.loopbackRefused());
    }

    @AfterAll
    static void stopSites() throws Exception {
        CASES.close();
    }
}
