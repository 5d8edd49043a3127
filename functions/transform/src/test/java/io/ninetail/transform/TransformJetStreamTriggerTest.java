package io.ninetail.transform;

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

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transform function driven the way the scheduler drives it: events in and out of JetStream. */
@QuarkusTest
@WithTestResource(NatsServerResource.class)
class TransformJetStreamTriggerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

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
    void inputOnJetStreamYieldsTheValueAsOutputEvent() throws Exception {
        String runId = TransformEvents.newRunId();
        BlockAddress shape = new BlockAddress("transform", runId, "shape");
        Subscription results = nats.subscribe("block.transform." + runId + ".>");

        nats.publish(shape.subject(BlockLeg.INPUT), TransformEvents.input(runId, "shape",
                "{\"value\": {\"title\": \"Today\", \"links\": 57}}"));

        Message result = JetStreamProbe.nextResult(results, WAIT);
        assertEquals(shape.subject(BlockLeg.OUTPUT), result.getSubject());
        Event output = NatsEventCodec.decode(result.getHeaders(), result.getData());
        assertEquals("block.transform.output", output.type());
        assertEquals(runId, output.runId());
        assertEquals("shape", output.blockId());
        assertEquals(mapper.readTree("{\"title\": \"Today\", \"links\": 57}"), mapper.readTree(output.data()));
        assertEquals(1, nats.messagesOn(Topology.BLOCK_RESULT_STREAM, shape.subject(BlockLeg.OUTPUT)));
    }

    @Test
    void parametersThatAreNotAValueAreAnInvalidParametersErrorEvent() throws Exception {
        String runId = TransformEvents.newRunId();
        Subscription results = nats.subscribe("block.transform." + runId + ".>");
        BlockAddress missing = new BlockAddress("transform", runId, "missing");
        BlockAddress misspelt = new BlockAddress("transform", runId, "misspelt");

        nats.publish(missing.subject(BlockLeg.INPUT), TransformEvents.input(runId, "missing", "{}"));
        Message result = JetStreamProbe.nextResult(results, WAIT);
        assertEquals(missing.subject(BlockLeg.ERROR), result.getSubject());
        JsonNode error = mapper.readTree(result.getData());
        assertEquals("INVALID_PARAMETERS", error.get("code").asText());
        assertFalse(error.get("retryable").asBoolean());
        assertTrue(error.get("message").asText().startsWith("parameter 'value' is required"), error::toString);

        nats.publish(misspelt.subject(BlockLeg.INPUT), TransformEvents.input(runId, "misspelt", "{\"vaule\": 1}"));
        result = JetStreamProbe.nextResult(results, WAIT);
        assertEquals(misspelt.subject(BlockLeg.ERROR), result.getSubject());
        error = mapper.readTree(result.getData());
        assertEquals("INVALID_PARAMETERS", error.get("code").asText());
        assertEquals("unknown parameter 'vaule' (known: value)", error.get("message").asText());
    }

    @Test
    void aBurstOfInputsIsAnsweredInFull() throws Exception {
        String runId = TransformEvents.newRunId();
        int blocks = 300;
        Subscription results = nats.subscribe("block.transform." + runId + ".*.output");

        for (int i = 0; i < blocks; i++) {
            String blockId = "step-" + i;
            nats.publish(new BlockAddress("transform", runId, blockId).subject(BlockLeg.INPUT),
                    TransformEvents.input(runId, blockId, "{\"value\": " + i + "}"));
        }

        Set<String> answered = new HashSet<>();
        for (int i = 0; i < blocks; i++) {
            Message result = JetStreamProbe.next(results, WAIT);
            JsonNode value = mapper.readTree(result.getData());
            Event output = NatsEventCodec.decode(result.getHeaders(), result.getData());
            assertEquals("step-" + value.asInt(), output.blockId(), "each block gets its own value back");
            answered.add(output.blockId());
        }
        assertEquals(blocks, answered.size());
        await("every input is acknowledged").atMost(WAIT).until(() -> {
            var consumer = nats.consumer(Topology.BLOCK_INPUT_STREAM, Topology.blockConsumer("transform"));
            return consumer.getNumPending() == 0 && consumer.getNumAckPending() == 0;
        });
    }
}
