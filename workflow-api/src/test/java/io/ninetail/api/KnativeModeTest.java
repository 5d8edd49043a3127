package io.ninetail.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ninetail.core.nats.Topology;
import io.ninetail.testing.JetStreamProbe;
import io.ninetail.testing.LocalHttpServer;
import io.ninetail.testing.RecordingBroker;
import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Knative mode: the api sends a run's start and cancel to the broker (here a local HTTP server
 * standing in for it) as binary-mode CloudEvents, instead of publishing them into JetStream; the
 * run record is written to NATS as before. The trigger that takes them on to the scheduler, and the
 * rest of the way, are ninetail-deploy's KnativeModeIT.
 */
@QuarkusTest
@TestProfile(KnativeModeTest.KnativeMode.class)
@WithTestResource(NatsServerResource.class)
class KnativeModeTest {

    /** Knative mode, sending to a {@link RecordingBroker}. */
    public static class KnativeMode implements QuarkusTestProfile {
        private static LocalHttpServer broker;

        @Override
        public Map<String, String> getConfigOverrides() {
            if (broker == null) {
                broker = RecordingBroker.start();
            }
            return Map.of("ninetail.api.knative.enabled", "true", "ninetail.api.knative.sink", broker.url("/"));
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WORKFLOW = """
            {"name": "%s", "blocks": [{"id": "shape", "type": "transform", "with": {"value": {"n": "${ $input.n }"}}}]}""";
    private static JetStreamProbe nats;

    @ConfigProperty(name = "quarkus.messaging.nats.connection.servers")
    String natsUrl;
    @ConfigProperty(name = "ninetail.api.knative.sink")
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
    void aRunsStartGoesToTheBrokerAsABinaryModeCloudEventAndNotIntoJetStream() {
        String runId = given().contentType(ContentType.JSON)
                .body("{\"workflow\": " + WORKFLOW.formatted("to-broker") + ", \"input\": {\"n\": 41}}")
                .post("/runs").then().statusCode(202).extract().path("runId");

        JsonNode start = await().atMost(WAIT).until(() -> received(runId, "workflow.start"), Optional::isPresent).get();
        assertEquals("1.0", start.path("ce-specversion").asText());
        assertEquals(runId + ".start", start.path("ce-id").asText());
        assertEquals("/ninetail/api", start.path("ce-source").asText());
        assertEquals(runId, start.path("ce-runid").asText());
        assertEquals("application/json", start.path("content-type").asText());
        assertFalse(start.has("nats-msg-id"), "NATS' own header stays out of HTTP");
        JsonNode data = read(start.path("body").asText());
        assertEquals("to-broker", data.path("workflow").path("name").asText());
        assertEquals(41, data.path("input").path("n").asInt());

        assertEquals(0, nats.messagesOn(Topology.WORKFLOW_STREAM, "workflow." + runId + ".start"),
                "the scheduler stores it in WORKFLOW when the broker delivers it, not the api");
        given().get("/runs/" + runId).then().statusCode(200).body("status", equalTo("PENDING"));
    }

    @Test
    void aCancelGoesToTheBrokerToo() {
        String runId = given().contentType(ContentType.JSON).body("{\"workflow\": " + WORKFLOW.formatted("cancelled") + "}")
                .post("/runs").then().statusCode(202).extract().path("runId");

        given().post("/runs/" + runId + "/cancel").then().statusCode(202);

        JsonNode cancel = await().atMost(WAIT).until(() -> received(runId, "workflow.cancel"), Optional::isPresent).get();
        assertEquals(runId + ".cancel", cancel.path("ce-id").asText());
        assertEquals(runId, read(cancel.path("body").asText()).path("runId").asText());
        assertEquals(0, nats.messagesOn(Topology.WORKFLOW_STREAM, "workflow." + runId + ".cancel"));
    }

    @Test
    void aBrokerThatRefusesTheStartIsA503AndTheRunDoesNotStayPending() throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sink + "refuse-next"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());

        given().contentType(ContentType.JSON).body("{\"workflow\": " + WORKFLOW.formatted("refused") + "}")
                .post("/runs").then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(Problem.TYPE_BASE + "broker-unavailable"))
                .body("detail", containsString("answered 503"));
        given().get("/runs?workflow=refused").then().statusCode(200)
                .body("runs[0].status", equalTo("FAILED"))
                .body("runs[0].error.code", equalTo("START_FAILED"));
    }

    /** The event of {@code type} of the run that the broker took in, headers and body. */
    private Optional<JsonNode> received(String runId, String type) throws Exception {
        JsonNode all = JSON.readTree(URI.create(sink + "received").toURL());
        for (JsonNode event : all) {
            if (runId.equals(event.path("ce-runid").asText()) && type.equals(event.path("ce-type").asText())) {
                return Optional.of(event);
            }
        }
        return Optional.empty();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
