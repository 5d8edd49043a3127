package io.ninetail.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.ninetail.core.event.Event;
import io.ninetail.core.event.NatsEventCodec;
import io.ninetail.core.nats.Subjects.BlockAddress;
import io.ninetail.core.nats.Subjects.BlockLeg;
import io.ninetail.core.nats.Topology;
import io.ninetail.testing.JetStreamProbe;
import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;

import static io.ninetail.hook.HookEvents.GITHUB_PAYLOAD;
import static io.ninetail.hook.HookEvents.GITHUB_SIGNATURE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hook function driven through JetStream, with the secrets {@code github} and
 * {@code partner-token} configured (application.properties, test profile): the result stream
 * holds the output, and every case of {@link HookCase} comes back on its subject.
 */
@QuarkusTest
@WithTestResource(NatsServerResource.class)
class HookJetStreamTriggerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SIGNED_WEBHOOK = """
            {"method": "POST", "path": "/hooks/github",
             "headers": {"content-type": "text/plain", "x-hub-signature-256": "%s"}, "body": "%s",
             "expected": {"method": "POST", "auth": {"type": "hmac-sha256", "secretName": "github"}}}""";

    @ConfigProperty(name = "quarkus.messaging.nats.connection.servers")
    String natsUrl;

    @Inject
    ObjectMapper mapper;

    private JetStreamProbe nats;

    @BeforeEach
    void connect() {
        nats = new JetStreamProbe(natsUrl);
    }

    @AfterEach
    void disconnect() {
        nats.close();
    }

    @Test
    void aCorrectlySignedRequestIsTheOutputEvent() throws Exception {
        String runId = HookEvents.newRunId();
        BlockAddress trigger = new BlockAddress("hook", runId, "trigger");
        Subscription results = nats.subscribe("block.hook." + runId + ".>");

        nats.publish(trigger.subject(BlockLeg.INPUT),
                HookEvents.input(runId, SIGNED_WEBHOOK.formatted(GITHUB_SIGNATURE, GITHUB_PAYLOAD)));

        Message result = JetStreamProbe.nextResult(results, WAIT);
        assertEquals(trigger.subject(BlockLeg.OUTPUT), result.getSubject());
        Event output = NatsEventCodec.decode(result.getHeaders(), result.getData());
        assertEquals("block.hook.output", output.type());
        JsonNode data = mapper.readTree(output.data());
        assertEquals("POST", data.get("method").asText());
        assertEquals("/hooks/github", data.get("path").asText());
        assertEquals(GITHUB_PAYLOAD, data.get("body").asText());
        assertEquals(1, nats.messagesOn(Topology.BLOCK_RESULT_STREAM, trigger.subject(BlockLeg.OUTPUT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.ninetail.hook.HookCase#all")
    void everyCaseOfTheTableIsAnsweredOnItsResultSubject(HookCase hookCase) {
        String runId = HookEvents.newRunId();
        BlockAddress trigger = new BlockAddress("hook", runId, "trigger");
        Subscription results = nats.subscribe("block.hook." + runId + ".>");

        nats.publish(trigger.subject(BlockLeg.INPUT), HookEvents.input(runId, hookCase.input()));

        Message result = JetStreamProbe.nextResult(results, WAIT);
        Event event = NatsEventCodec.decode(result.getHeaders(), result.getData());
        assertEquals(trigger.subject(hookCase.code() == null ? BlockLeg.OUTPUT : BlockLeg.ERROR), result.getSubject());
        hookCase.assertResult(event.type(), event.data());
    }
}
