package io.ninetail.fetch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ninetail.core.event.EventReader;
import io.ninetail.fetch.FetchCases.Case;
import io.ninetail.fetch.FetchTriggers.Trigger;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs cases of {@link FetchCases} through both triggers of the running function. A subclass is
 * the {@code @QuarkusTest}: it deploys the function (its profile) and says which cases apply, in a
 * static {@code cases()}.
 */
abstract class ThroughBothTriggers {

    @ConfigProperty(name = "quarkus.messaging.nats.connection.servers")
    String natsUrl;
    @Inject
    EventReader reader;
    @Inject
    ObjectMapper mapper;

    private FetchTriggers triggers;

    /** Each case once per trigger. */
    static Stream<Arguments> onBothTriggers(List<Case> cases) {
        return cases.stream().flatMap(c -> Arrays.stream(Trigger.values()).map(trigger -> Arguments.of(trigger, c)));
    }

    @BeforeEach
    void connect() {
        triggers = new FetchTriggers(natsUrl, reader, mapper);
    }

    @AfterEach
    void disconnect() {
        triggers.close();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void caseGivesItsResultThroughEitherTrigger(Trigger trigger, Case c) {
        c.expect().accept(triggers.run(trigger, c.with()));
    }
}
