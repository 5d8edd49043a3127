package io.ninetail.response;

import io.nats.client.Message;
import io.nats.client.Subscription;
import io.ninetail.core.event.Event;
import io.ninetail.core.event.NatsEventCodec;
import io.ninetail.core.nats.Subjects;
import io.ninetail.core.nats.Topology;
import io.ninetail.testing.JetStreamProbe;
import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The response function as Knative Eventing calls it: the reply is the output, and the response is on the WORKFLOW stream. */
@QuarkusTest
@WithTestResource(NatsServerResource.class)
class ResponseKnativeTriggerTest {

    @ConfigProperty(name = "quarkus.messaging.nats.connection.servers")
    String natsUrl;

    @Test
    void binaryModeInputPublishesTheResponseAndAnswersWithTheOutputEvent() {
        String runId = ResponseEvents.newRunId();
        try (JetStreamProbe nats = new JetStreamProbe(natsUrl)) {
            Subscription responses = nats.subscribe(Subjects.workflowResponse(runId));

            given()
                    .header("ce-specversion", "1.0")
                    .header("ce-id", "evt-1")
                    .header("ce-source", "/test")
                    .header("ce-type", "block.response.input")
                    .header("ce-runid", runId)
                    .header("ce-blockid", "reply")
                    .contentType("application/json")
                    .body("{\"status\": 200, \"body\": \"thanks\"}")
            .when()
                    .post("/")
            .then()
                    .statusCode(200)
                    .header("ce-type", "block.response.output")
                    .header("ce-id", "evt-1/output")
                    .body("status", equalTo(200))
                    .body("headers.content-type", equalTo("text/plain; charset=utf-8"))
                    .body("body", equalTo("thanks"));

            assertEquals(1, nats.messagesOn(Topology.WORKFLOW_STREAM, Subjects.workflowResponse(runId)));
            Message published = JetStreamProbe.next(responses, Duration.ofSeconds(5));
            Event response = NatsEventCodec.decode(published.getHeaders(), published.getData());
            assertEquals("workflow.response", response.type());
            assertEquals("{\"status\":200,\"headers\":{\"content-type\":\"text/plain; charset=utf-8\"},\"body\":\"thanks\"}",
                    new String(response.data(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void anInvalidStatusIsAnsweredWithInvalidParametersAndPublishesNothing() {
        String runId = ResponseEvents.newRunId();
        try (JetStreamProbe nats = new JetStreamProbe(natsUrl)) {
            given()
                    .header("ce-specversion", "1.0")
                    .header("ce-id", "evt-2")
                    .header("ce-source", "/test")
                    .header("ce-type", "block.response.input")
                    .header("ce-runid", runId)
                    .header("ce-blockid", "reply")
                    .contentType("application/json")
                    .body("{\"status\": 42}")
            .when()
                    .post("/")
            .then()
                    .statusCode(200)
                    .header("ce-type", "block.response.error")
                    .body("code", equalTo("INVALID_PARAMETERS"))
                    .body("message", equalTo("parameter 'status' must be an HTTP status from 100 to 599, was 42"));

            assertEquals(0, nats.messagesOn(Topology.WORKFLOW_STREAM, Subjects.workflowResponse(runId)));
        }
    }
}
