package io.ninetail.hook;

import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

/**
 * The hook function as Knative Eventing calls it, with the secrets {@code github} and
 * {@code partner-token} configured (application.properties, test profile): the reply is the
 * result event, for every case of {@link HookCase}.
 */
@QuarkusTest
@WithTestResource(NatsServerResource.class)
class HookKnativeTriggerTest {

    private static final String SHARED_SECRET_AUTH =
            "\"expected\": {\"auth\": {\"type\": \"header\", \"header\": \"x-partner-token\", \"secretName\": \"partner-token\"}}";

    private static RequestSpecification hookInput(String id) {
        return given()
                .header("ce-specversion", "1.0")
                .header("ce-id", id)
                .header("ce-source", "/ninetail/api")
                .header("ce-type", "block.hook.input")
                .header("ce-runid", "run-http")
                .header("ce-blockid", "trigger")
                .contentType("application/json");
    }

    @Test
    void theConfiguredSharedSecretPassesAndTheJsonBodyIsParsed() {
        hookInput("evt-1")
                .body("""
                        {"method": "POST", "path": "/hooks/partner",
                         "headers": {"Content-Type": "application/json", "X-Partner-Token": "s3cr3t-t0ken"},
                         "query": {"region": "eu"}, "body": "{\\"order\\": 17}", %s}""".formatted(SHARED_SECRET_AUTH))
        .when()
                .post("/")
        .then()
                .statusCode(200)
                .header("ce-type", "block.hook.output")
                .header("ce-id", "evt-1/output")
                .body("method", equalTo("POST"))
                .body("query.region", equalTo("eu"))
                .body("body.order", equalTo(17))
                .body("headers.x-partner-token", equalTo("[redacted]"))
                .body(not(containsString("s3cr3t-t0ken")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.ninetail.hook.HookCase#all")
    void everyCaseOfTheTableIsAnsweredInTheReply(HookCase hookCase) {
        ExtractableResponse<Response> reply = hookInput("evt-" + UUID.randomUUID())
                .body(hookCase.input())
        .when()
                .post("/")
        .then()
                .statusCode(200)
                .extract();
        hookCase.assertResult(reply.header("ce-type"), reply.asByteArray());
    }
}
