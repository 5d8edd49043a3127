package io.ninetail.hook;

import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

/**
 * The hook function as Knative Eventing calls it, with the secret {@code partner-token}
 * configured as {@code ninetail.hook.secrets.partner-token} (application.properties, test profile).
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

    @Test
    void aMissingSecretHeaderIsAnsweredWithUnauthorizedErrorEvent() {
        hookInput("evt-2")
                .body("""
                        {"method": "POST", "path": "/hooks/partner", "headers": {}, %s}""".formatted(SHARED_SECRET_AUTH))
        .when()
                .post("/")
        .then()
                .statusCode(200)
                .header("ce-type", "block.hook.error")
                .body("code", equalTo("UNAUTHORIZED"))
                .body("retryable", equalTo(false));
    }

    @Test
    void aWrongSecretIsAnsweredWithForbiddenErrorEvent() {
        hookInput("evt-3")
                .body("""
                        {"method": "POST", "path": "/hooks/partner", "headers": {"x-partner-token": "guess"}, %s}"""
                        .formatted(SHARED_SECRET_AUTH))
        .when()
                .post("/")
        .then()
                .statusCode(200)
                .header("ce-type", "block.hook.error")
                .body("code", equalTo("FORBIDDEN"));
    }

    @Test
    void aWrongMethodIsAnsweredWithMethodNotAllowedErrorEvent() {
        hookInput("evt-4")
                .body("{\"method\": \"DELETE\", \"path\": \"/hooks/partner\", \"expected\": {\"method\": \"POST\"}}")
        .when()
                .post("/")
        .then()
                .statusCode(200)
                .header("ce-type", "block.hook.error")
                .body("code", equalTo("METHOD_NOT_ALLOWED"));
    }

    @Test
    void aSecretThatIsNotConfiguredIsAnsweredWithUnknownSecretErrorEvent() {
        hookInput("evt-5")
                .body("""
                        {"method": "POST", "path": "/hooks/x", "headers": {"x-token": "t"},
                         "expected": {"auth": {"type": "header", "header": "x-token", "secretName": "not-configured"}}}""")
        .when()
                .post("/")
        .then()
                .statusCode(200)
                .header("ce-type", "block.hook.error")
                .body("code", equalTo("UNKNOWN_SECRET"))
                .body("retryable", equalTo(false));
    }
}
