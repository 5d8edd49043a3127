package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.ninetail.core.nats.Topology;
import io.ninetail.scheduler.RunDriver.Ended;
import io.ninetail.scheduler.RunDriver.Started;
import io.ninetail.testing.JetStreamProbe;
import io.ninetail.testing.LocalHttpServer;
import io.ninetail.testing.RecordingBroker;
import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Knative mode: block inputs go to the broker (here a local HTTP server standing in for it) as
 * binary-mode CloudEvents, and results come back POSTed to the scheduler, which stores each in
 * JetStream before it answers 202.
 */
@QuarkusTest
@TestProfile(SchedulerKnativeModeTest.KnativeMode.class)
@WithTestResource(NatsServerResource.class)
class SchedulerKnativeModeTest {

    /** Knative mode, sending to a {@link RecordingBroker}. */
    public static class KnativeMode implements QuarkusTestProfile {
        private static LocalHttpServer broker;

        @Override
        public Map<String, String> getConfigOverrides() {
            if (broker == null) {
                broker = RecordingBroker.start();
            }
            return Map.of("ninetail.scheduler.knative.enabled", "true", "ninetail.scheduler.knative.sink", broker.url("/"));
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static JetStreamProbe nats;

    @ConfigProperty(name = "quarkus.messaging.nats.connection.servers")
    String natsUrl;
    @ConfigProperty(name = "ninetail.scheduler.knative.sink")
    String sink;

    @BeforeEach
    void connect() {
        if (nats == null) {
            nats = new JetStreamProbe(natsUrl);
        }
    }

    @AfterAll
    static void stop() {
        if (nats != null) {
            nats.close();
        }
    }

    @Test
    void aRunSendsItsInputsToTheBrokerAndFinishesOnResultsPostedBack() {
        Started run = new RunDriver(nats).start("""
                {"name": "knative", "blocks": [{"id": "shape", "type": "transform", "with": {"value": {"n": "${ $input.n }"}}}]}
                """, "{\"n\": 41}");

        JsonNode input = await().atMost(WAIT).until(() -> received(run.runId()), Optional::isPresent).get();
        assertEquals("block.transform.input", input.path("ce-type").asText());
        assertEquals("shape", input.path("ce-blockid").asText());
        assertEquals("1", input.path("ce-attempt").asText());
        assertEquals("1.0", input.path("ce-specversion").asText());
        assertEquals("application/json", input.path("content-type").asText());
        assertEquals(run.runId() + ".shape.1", input.path("ce-id").asText());
        assertEquals("{\"value\":{\"n\":41}}", input.path("body").asText());
        assertEquals(0, nats.messagesOn(Topology.BLOCK_INPUT_STREAM, "block.transform." + run.runId() + ".shape.input"),
                "nothing goes through BLOCK_INPUT in Knative mode");

        given()
                .header("ce-specversion", "1.0")
                .header("ce-id", input.path("ce-id").asText() + "/output")
                .header("ce-source", "/ninetail/functions/transform")
                .header("ce-type", "block.transform.output")
                .header("ce-runid", run.runId())
                .header("ce-blockid", "shape")
                .header("ce-attempt", "1")
                .contentType("application/json")
                .body("{\"n\": 41}")
        .when()
                .post("/")
        .then()
                .statusCode(202);

        Ended ended = new RunDriver(nats).awaitEnd(run, WAIT);
        assertEquals("complete", ended.status());
        assertEquals(41, ended.data().path("output").path("shape").path("n").asInt(), ended.data().toString());
    }

    /** What the broker received for this run, if anything yet. */
    private Optional<JsonNode> received(String runId) throws Exception {
        JsonNode all = new ObjectMapper().readTree(URI.create(sink + "received").toURL());
        for (JsonNode event : all) {
            if (runId.equals(event.path("ce-runid").asText())) {
                return Optional.of(event);
            }
        }
        return Optional.empty();
    }

    @Test
    void aResultIsStoredInBlockResultBeforeTheAnswer() throws Exception {
        Subscription stored = nats.subscribe("block.fetch.r-stored.page.error");
        given()
                .header("ce-specversion", "1.0")
                .header("ce-id", "r-stored.page.1/error")
                .header("ce-source", "/ninetail/functions/fetch")
                .header("ce-type", "block.fetch.error")
                .header("ce-runid", "r-stored")
                .header("ce-blockid", "page")
                .contentType("application/json")
                .body("{\"code\": \"CONNECT\", \"message\": \"refused\", \"retryable\": true, \"details\": {}}")
        .when()
                .post("/")
        .then()
                .statusCode(202);

        Message message = JetStreamProbe.next(stored, WAIT);
        assertEquals("r-stored.page.1/error", message.getHeaders().getFirst("Nats-Msg-Id"));
        assertEquals("CONNECT", new com.fasterxml.jackson.databind.ObjectMapper().readTree(message.getData()).path("code").asText());
    }

    @Test
    void structuredModeIsReadToo() {
        Subscription stored = nats.subscribe("workflow.r-structured.cancel");
        given()
                .contentType("application/cloudevents+json")
                .body("""
                        {"specversion": "1.0", "id": "r-structured.cancel", "source": "/test", "type": "workflow.cancel",
                         "runid": "r-structured", "datacontenttype": "application/json", "data": {}}
                        """)
        .when()
                .post("/")
        .then()
                .statusCode(202);

        Message message = JetStreamProbe.next(stored, WAIT);
        assertEquals("workflow.cancel", message.getHeaders().getFirst("ce-type"));
        assertEquals("{}", new String(message.getData(), StandardCharsets.UTF_8));
    }

    @Test
    void anEventTheSchedulerDoesNotTakeIsA400ThatTheBrokerWillNotRetry() {
        given()
                .header("ce-specversion", "1.0")
                .header("ce-id", "x")
                .header("ce-source", "/test")
                .header("ce-type", "block.fetch.input")
                .header("ce-runid", "r-wrong")
                .header("ce-blockid", "page")
                .contentType("application/json")
                .body("{}")
        .when()
                .post("/")
        .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("not 'block.fetch.input'"));
    }

    @Test
    void aResultWithoutBlockIdIsA400() {
        given()
                .header("ce-specversion", "1.0")
                .header("ce-id", "x")
                .header("ce-source", "/test")
                .header("ce-type", "block.fetch.output")
                .header("ce-runid", "r-wrong")
                .contentType("application/json")
                .body("{}")
        .when()
                .post("/")
        .then()
                .statusCode(400)
                .body("detail", containsString("blockid"));
    }
}
