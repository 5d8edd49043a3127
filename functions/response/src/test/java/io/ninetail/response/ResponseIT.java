package io.ninetail.response;

import io.nats.client.Message;
import io.nats.client.Subscription;
import io.ninetail.core.nats.Subjects;
import io.ninetail.testing.JetStreamProbe;
import io.ninetail.testing.NatsServerResource;
import io.ninetail.testing.NatsUrl;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The packaged app (the jar here; the native binary with -Dnative) answers and publishes the response. */
@QuarkusIntegrationTest
@WithTestResource(NatsServerResource.class)
class ResponseIT {

    @NatsUrl
    String natsUrl;

    @Test
    void answersTheOutputAndPublishesTheResponse() {
        String runId = ResponseEvents.newRunId();
        try (JetStreamProbe nats = new JetStreamProbe(natsUrl)) {
            Subscription responses = nats.subscribe(Subjects.workflowResponse(runId));
            given()
                    .header("ce-specversion", "1.0")
                    .header("ce-id", "evt-it")
                    .header("ce-source", "/test")
                    .header("ce-type", "block.response.input")
                    .header("ce-runid", runId)
                    .header("ce-blockid", "reply")
                    .contentType("application/json")
                    .body("{\"status\": 201, \"headers\": {\"content-type\": \"application/json\"}, \"body\": {\"ok\": true}}")
            .when()
                    .post("/")
            .then()
                    .statusCode(200)
                    .header("ce-type", "block.response.output")
                    .body("status", equalTo(201))
                    .body("body.ok", equalTo(true));
            Message published = JetStreamProbe.next(responses, Duration.ofSeconds(10));
            assertEquals("{\"status\":201,\"headers\":{\"content-type\":\"application/json\"},\"body\":{\"ok\":true}}",
                    new String(published.getData(), StandardCharsets.UTF_8));
        }
    }
}
