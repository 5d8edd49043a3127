package io.ninetail.fetch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ninetail.core.event.EventReader;
import io.ninetail.fetch.FetchCases.Case;
import io.ninetail.fetch.FetchTriggers.Trigger;
import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Every parameter and every error code of fetch ({@link FetchCases}) through both triggers of the
 * running function, JetStream and the Knative Events HTTP endpoint, as the test profile deploys
 * it: loopback allowed. The loopback refusal itself is {@link FetchBothTriggersGuardOnTest}.
 */
@QuarkusTest
@WithTestResource(NatsServerResource.class)
class FetchBothTriggersTest {

    private static final FetchCases CASES = new FetchCases();

    @ConfigProperty(name = "quarkus.messaging.nats.connection.servers")
    String natsUrl;
    @Inject
    EventReader reader;
    @Inject
    ObjectMapper mapper;

    private FetchTriggers triggers;

    static Stream<Arguments> cases() {
        return CASES.loopbackAllowed().stream()
                .flatMap(c -> Arrays.stream(Trigger.values()).map(trigger -> Arguments.of(trigger, c)));
    }

    @BeforeEach
    void connect() {
        triggers = new FetchTriggers(natsUrl, reader, mapper);
    }

    @AfterEach
    void disconnect() {
        triggers.close();
    }

    @AfterAll
    static void stopSites() throws Exception {
        CASES.close();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void caseGivesItsResultThroughEitherTrigger(Trigger trigger, Case c) {
        c.expect().accept(triggers.run(trigger, c.with()));
    }
}
