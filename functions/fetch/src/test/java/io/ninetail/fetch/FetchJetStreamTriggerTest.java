package io.ninetail.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.api.PublishAck;
import io.ninetail.core.event.Event;
import io.ninetail.core.event.EventReader;
import io.ninetail.core.nats.PayloadStore;
import io.ninetail.core.event.NatsEventCodec;
import io.ninetail.core.nats.Subjects.BlockAddress;
import io.ninetail.core.nats.Subjects.BlockLeg;
import io.ninetail.core.nats.Topology;
import io.ninetail.testing.JetStreamProbe;
import io.ninetail.testing.LocalHttpServer;
import io.ninetail.testing.LocalHttpServer.Reply;
import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fetch function driven the way the scheduler drives it: events in and out of JetStream. */
@QuarkusTest
@WithTestResource(NatsServerResource.class)
class FetchJetStreamTriggerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final LocalHttpServer SITE = new LocalHttpServer()
            .route("/hello", request -> Reply.text(200, "text/html; charset=utf-8", "<h1>Hello</h1>"))
            .route("/echo", request -> Reply.text(201, "application/json",
                    "{\"method\":\"" + request.method() + "\",\"got\":" + request.bodyText()
                            + ",\"token\":\"" + request.header("x-token") + "\"}"))
            .route("/once", request -> Reply.text(200, "text/plain", "counted"))
            .route("/big", request -> Reply.text(200, "text/plain", "x".repeat(3 * 1024 * 1024)))
            .route("/search", request -> new Reply(302, java.util.Map.of("location", "/results?" + request.query()),
                    new byte[0]))
            .route("/results", request -> Reply.text(200, "text/plain", "results for " + request.query()));

    @ConfigProperty(name = "quarkus.messaging.nats.connection.servers")
    String natsUrl;

    @SuppressWarnings("CdiInjectionPointsInspection")
    @jakarta.inject.Inject
    ObjectMapper mapper;

    @jakarta.inject.Inject
    EventReader reader;

    private JetStreamProbe nats;

    @BeforeEach
    void connect() {
        nats = new JetStreamProbe(natsUrl);
    }

    @AfterEach
    void disconnect() {
        nats.close();
    }

    @AfterAll
    static void stopSite() {
        SITE.close();
    }

    @Test
    void inputOnJetStreamYieldsOutputEventWithSameRunAndBlock() throws Exception {
        String runId = FetchEvents.newRunId();
        BlockAddress page = new BlockAddress("fetch", runId, "page");
        Subscription results = nats.subscribe("block.fetch." + runId + ".>");

        Event input = FetchEvents.input(runId, "page", "{\"url\":\"" + SITE.url("/hello") + "\"}");
        nats.publish(page.subject(BlockLeg.INPUT), input);

        Message result = JetStreamProbe.nextResult(results, WAIT);
        assertEquals(page.subject(BlockLeg.OUTPUT), result.getSubject());
        Event output = NatsEventCodec.decode(result.getHeaders(), result.getData());
        assertEquals("block.fetch.output", output.type());
        assertEquals(runId, output.runId());
        assertEquals("page", output.blockId());
        assertEquals(1, output.attempt());
        assertEquals(output.id(), result.getHeaders().getFirst("Nats-Msg-Id"));
        JsonNode data = mapper.readTree(output.data());
        assertEquals(200, data.get("status").asInt());
        assertEquals("<h1>Hello</h1>", data.get("body").asText());
        assertEquals(SITE.url("/hello"), data.get("url").asText());
        assertEquals(14, data.get("bytes").asInt());
        assertTrue(data.get("headers").get("content-type").asText().startsWith("text/html"));
        // Stored in the results stream for the scheduler, not only broadcast.
        assertEquals(1, nats.messagesOn(Topology.BLOCK_RESULT_STREAM, page.subject(BlockLeg.OUTPUT)));
    }

    @Test
    void methodHeadersAndJsonBodyAreSentAndJsonResponseIsParsed() throws Exception {
        String runId = FetchEvents.newRunId();
        Subscription results = nats.subscribe("block.fetch." + runId + ".>");

        nats.publish(new BlockAddress("fetch", runId, "post").subject(BlockLeg.INPUT), FetchEvents.input(runId, "post",
                "{\"url\":\"" + SITE.url("/echo") + "\",\"method\":\"post\",\"headers\":{\"x-token\":\"abc\"},"
                        + "\"body\":{\"n\":1},\"timeout\":\"PT5S\"}"));

        JsonNode data = outputData(JetStreamProbe.nextResult(results, WAIT));
        assertEquals(201, data.get("status").asInt());
        assertEquals("POST", data.get("body").get("method").asText());
        assertEquals(1, data.get("body").get("got").get("n").asInt());
        assertEquals("abc", data.get("body").get("token").asText());
        assertEquals("application/json", SITE.requests("/echo").get(0).header("content-type"));
    }

    @Test
    void queryIsEncodedIntoTheUrlAndOutputUrlIsWhereRedirectsEnded() throws Exception {
        String runId = FetchEvents.newRunId();
        Subscription results = nats.subscribe("block.fetch." + runId + ".>");

        nats.publish(new BlockAddress("fetch", runId, "search").subject(BlockLeg.INPUT), FetchEvents.input(runId,
                "search", "{\"url\":\"" + SITE.url("/search") + "\",\"query\":{\"q\":\"fish & chips\"}}"));

        JsonNode data = outputData(JetStreamProbe.nextResult(results, WAIT));
        assertEquals(200, data.get("status").asInt());
        assertEquals("results for q=fish%20%26%20chips", data.get("body").asText());
        assertEquals(SITE.url("/results?q=fish%20%26%20chips"), data.get("url").asText());
    }

    @Test
    void connectionRefusedIsARetryableConnectError() throws Exception {
        String runId = FetchEvents.newRunId();
        BlockAddress down = new BlockAddress("fetch", runId, "down");
        Subscription results = nats.subscribe("block.fetch." + runId + ".>");
        String closedPort = "http://127.0.0.1:" + NatsServerResource.freePort() + "/";

        nats.publish(down.subject(BlockLeg.INPUT), FetchEvents.input(runId, "down", "{\"url\":\"" + closedPort + "\"}"));

        Message result = JetStreamProbe.nextResult(results, WAIT);
        assertEquals(down.subject(BlockLeg.ERROR), result.getSubject());
        Event error = NatsEventCodec.decode(result.getHeaders(), result.getData());
        assertEquals("block.fetch.error", error.type());
        JsonNode data = mapper.readTree(error.data());
        assertEquals("CONNECT", data.get("code").asText());
        assertTrue(data.get("retryable").asBoolean());
        assertTrue(data.get("message").asText().contains(closedPort), data.toString());
    }

    @Test
    void duplicateInputIsProcessedOnce() {
        String runId = FetchEvents.newRunId();
        BlockAddress once = new BlockAddress("fetch", runId, "once");
        Subscription results = nats.subscribe("block.fetch." + runId + ".>");
        Event input = FetchEvents.input(runId, "once", "{\"url\":\"" + SITE.url("/once") + "?run=" + runId + "\"}");

        PublishAck first = nats.publish(once.subject(BlockLeg.INPUT), input);
        PublishAck second = nats.publish(once.subject(BlockLeg.INPUT), input);

        assertFalse(first.isDuplicate());
        assertTrue(second.isDuplicate(), "JetStream recognises the same ce-id (Nats-Msg-Id) as a duplicate");
        assertEquals(once.subject(BlockLeg.OUTPUT), JetStreamProbe.nextResult(results, WAIT).getSubject());
        await("the fetch consumer has nothing pending or unacknowledged").atMost(WAIT).until(() -> {
            var consumer = nats.consumer(Topology.BLOCK_INPUT_STREAM, Topology.blockConsumer("fetch"));
            return consumer.getNumPending() == 0 && consumer.getNumAckPending() == 0;
        });
        assertEquals(1, SITE.requests("/once").stream().filter(r -> ("run=" + runId).equals(r.query())).count(),
                "the site was called once");
        assertEquals(1, nats.messagesOn(Topology.BLOCK_RESULT_STREAM, once.subject(BlockLeg.OUTPUT)));
    }

    @Test
    void unknownParameterIsAPermanentInvalidParametersError() throws Exception {
        String runId = FetchEvents.newRunId();
        BlockAddress typo = new BlockAddress("fetch", runId, "typo");
        Subscription results = nats.subscribe("block.fetch." + runId + ".>");

        nats.publish(typo.subject(BlockLeg.INPUT), FetchEvents.input(runId, "typo",
                "{\"url\":\"" + SITE.url("/hello") + "\",\"methd\":\"GET\"}"));

        Message result = JetStreamProbe.nextResult(results, WAIT);
        assertEquals(typo.subject(BlockLeg.ERROR), result.getSubject());
        JsonNode data = mapper.readTree(result.getData());
        assertEquals("INVALID_PARAMETERS", data.get("code").asText());
        assertFalse(data.get("retryable").asBoolean());
        assertTrue(data.get("message").asText().contains("'methd'"), data.toString());
    }

    @Test
    void outputLargerThanOneMessageTravelsThroughThePayloadStore() throws Exception {
        String runId = FetchEvents.newRunId();
        BlockAddress big = new BlockAddress("fetch", runId, "big");
        Subscription results = nats.subscribe("block.fetch." + runId + ".>");

        nats.publish(big.subject(BlockLeg.INPUT), FetchEvents.input(runId, "big", "{\"url\":\"" + SITE.url("/big") + "\"}"));

        Message result = JetStreamProbe.nextResult(results, WAIT);
        assertEquals(big.subject(BlockLeg.OUTPUT), result.getSubject());
        String reference = result.getHeaders().getFirst("ce-dataref");
        assertTrue(PayloadStore.isReference(reference), "the message points into the payload store: " + reference);
        assertEquals(0, result.getData().length);
        JsonNode data = mapper.readTree(reader.read(result).data());
        assertEquals(3 * 1024 * 1024, data.get("bytes").asInt());
        assertEquals(3 * 1024 * 1024, data.get("body").asText().length());
    }

    private JsonNode outputData(Message message) throws Exception {
        Event event = NatsEventCodec.decode(message.getHeaders(), message.getData());
        assertEquals("block.fetch.output", event.type(), () -> new String(event.data()));
        return mapper.readTree(event.data());
    }
}
