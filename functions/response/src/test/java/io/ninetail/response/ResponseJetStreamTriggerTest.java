package io.ninetail.response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.api.StreamConfiguration;
import io.ninetail.core.event.Event;
import io.ninetail.core.event.NatsEventCodec;
import io.ninetail.core.nats.Subjects;
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

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The response function driven through JetStream: the response lands on the WORKFLOW stream, then the result. */
@QuarkusTest
@WithTestResource(NatsServerResource.class)
class ResponseJetStreamTriggerTest {

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
    void theResponseIsStoredOnTheWorkflowStreamBeforeTheOutputEvent() throws Exception {
        String runId = ResponseEvents.newRunId();
        BlockAddress reply = new BlockAddress("response", runId, "reply");
        Subscription responses = nats.subscribe(Subjects.workflowResponse(runId));
        Subscription results = nats.subscribe("block.response." + runId + ".>");

        nats.publish(reply.subject(BlockLeg.INPUT), ResponseEvents.input(runId, "reply", 1, """
                {"status": 201, "headers": {"X-Run": "%s"}, "body": {"h1": ["Today"]}}""".formatted(runId)));

        Message result = JetStreamProbe.nextResult(results, WAIT);
        assertEquals(reply.subject(BlockLeg.OUTPUT), result.getSubject());
        assertEquals(1, nats.messagesOn(Topology.WORKFLOW_STREAM, Subjects.workflowResponse(runId)),
                "by the time the output exists, the response is in the WORKFLOW stream");

        Message published = JetStreamProbe.next(responses, WAIT);
        Event response = NatsEventCodec.decode(published.getHeaders(), published.getData());
        assertEquals("workflow.response", response.type());
        assertEquals(runId + "/reply/response", response.id());
        assertEquals(response.id(), published.getHeaders().getFirst("Nats-Msg-Id"));
        assertEquals(runId, response.runId());
        assertEquals("reply", response.blockId());
        JsonNode expected = mapper.readTree("""
                {"status": 201, "headers": {"x-run": "%s", "content-type": "application/json"},
                 "body": {"h1": ["Today"]}}""".formatted(runId));
        assertEquals(expected, mapper.readTree(response.data()));
        assertEquals(expected, mapper.readTree(result.getData()), "the output is the same response: the run's output");
    }

    @Test
    void aRetriedResponseBlockPublishesTheResponseOnce() {
        String runId = ResponseEvents.newRunId();
        BlockAddress reply = new BlockAddress("response", runId, "reply");
        Subscription results = nats.subscribe("block.response." + runId + ".*.output");

        nats.publish(reply.subject(BlockLeg.INPUT), ResponseEvents.input(runId, "reply", 1, "{\"body\": \"done\"}"));
        JetStreamProbe.next(results, WAIT);
        nats.publish(reply.subject(BlockLeg.INPUT), ResponseEvents.input(runId, "reply", 2, "{\"body\": \"done\"}"));
        JetStreamProbe.next(results, WAIT);

        await("both attempts are acknowledged").atMost(WAIT).until(() -> {
            var consumer = nats.consumer(Topology.BLOCK_INPUT_STREAM, Topology.blockConsumer("response"));
            return consumer.getNumPending() == 0 && consumer.getNumAckPending() == 0;
        });
        assertEquals(1, nats.messagesOn(Topology.WORKFLOW_STREAM, Subjects.workflowResponse(runId)),
                "the second publish has the same id and is dropped as a duplicate");
    }

    @Test
    void withoutAStatusTheResponseIs200() throws Exception {
        String runId = ResponseEvents.newRunId();
        BlockAddress reply = new BlockAddress("response", runId, "reply");
        Subscription responses = nats.subscribe(Subjects.workflowResponse(runId));
        Subscription results = nats.subscribe("block.response." + runId + ".>");

        nats.publish(reply.subject(BlockLeg.INPUT), ResponseEvents.input(runId, "reply", 1, "{\"body\": \"ok\"}"));

        Message result = JetStreamProbe.nextResult(results, WAIT);
        assertEquals(reply.subject(BlockLeg.OUTPUT), result.getSubject());
        assertEquals(200, mapper.readTree(result.getData()).get("status").intValue());
        Message published = JetStreamProbe.next(responses, WAIT);
        assertEquals(200, mapper.readTree(NatsEventCodec.decode(published.getHeaders(), published.getData()).data())
                .get("status").intValue());
    }

    @Test
    void anInvalidStatusIsAnInvalidParametersErrorEventAndPublishesNothing() throws Exception {
        String runId = ResponseEvents.newRunId();
        BlockAddress reply = new BlockAddress("response", runId, "reply");
        Subscription results = nats.subscribe("block.response." + runId + ".>");

        nats.publish(reply.subject(BlockLeg.INPUT), ResponseEvents.input(runId, "reply", 1, "{\"status\": 42}"));

        Message result = JetStreamProbe.nextResult(results, WAIT);
        assertEquals(reply.subject(BlockLeg.ERROR), result.getSubject());
        JsonNode error = mapper.readTree(result.getData());
        assertEquals("INVALID_PARAMETERS", error.get("code").asText());
        assertFalse(error.get("retryable").asBoolean());
        assertEquals("parameter 'status' must be an HTTP status from 100 to 599, was 42", error.get("message").asText());
        assertEquals(0, nats.messagesOn(Topology.WORKFLOW_STREAM, Subjects.workflowResponse(runId)));
    }

    /**
     * With no WORKFLOW stream, nothing stores {@code workflow.<runId>.response}: JetStream answers
     * the publish with no acknowledgement, and the block must not complete as if the caller had
     * its answer. The stream is put back as it was.
     */
    @Test
    void aResponseNoStreamStoresIsARetryablePublishFailedError() throws Exception {
        String runId = ResponseEvents.newRunId();
        BlockAddress reply = new BlockAddress("response", runId, "reply");
        Subscription results = nats.subscribe("block.response." + runId + ".>");
        StreamConfiguration workflowStream = nats.management().getStreamInfo(Topology.WORKFLOW_STREAM).getConfiguration();
        nats.management().deleteStream(Topology.WORKFLOW_STREAM);
        try {
            nats.publish(reply.subject(BlockLeg.INPUT), ResponseEvents.input(runId, "reply", 1, "{\"body\": \"ok\"}"));

            Message result = JetStreamProbe.nextResult(results, WAIT);
            assertEquals(reply.subject(BlockLeg.ERROR), result.getSubject());
            JsonNode error = mapper.readTree(result.getData());
            assertEquals("PUBLISH_FAILED", error.get("code").asText());
            assertTrue(error.get("retryable").asBoolean(), "the scheduler retries it: the stream may be back");
            assertTrue(error.get("message").asText().startsWith("could not store the response on "
                    + Subjects.workflowResponse(runId) + ": "), error::toString);
        } finally {
            nats.management().addStream(workflowStream);
        }
    }
}
