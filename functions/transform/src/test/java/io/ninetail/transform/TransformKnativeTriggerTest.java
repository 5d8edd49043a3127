package io.ninetail.transform;

import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** The transform function as Knative Eventing calls it: a CloudEvent POSTed over HTTP, the result in the reply. */
@QuarkusTest
@WithTestResource(NatsServerResource.class)
class TransformKnativeTriggerTest {

    @Test
    void binaryModeInputIsAnsweredWithTheValueAsOutputEvent() {
        given()
                .header("ce-specversion", "1.0")
                .header("ce-id", "evt-1")
                .header("ce-source", "/test")
                .header("ce-type", "block.transform.input")
                .header("ce-runid", "run-http")
                .header("ce-blockid", "shape")
                .header("ce-attempt", "3")
                .contentType("application/json")
                .body("{\"value\": {\"names\": [\"Ada\", \"Grace\"], \"count\": 2}}")
        .when()
                .post("/")
        .then()
                .statusCode(200)
                .header("ce-type", "block.transform.output")
                .header("ce-id", "evt-1/output")
                .header("ce-runid", "run-http")
                .header("ce-blockid", "shape")
                .header("ce-attempt", "3")
                .body("names[1]", equalTo("Grace"))
                .body("count", equalTo(2));
    }

    @Test
    void aValueThatIsNotAnObjectIsTheWholeReply() {
        given()
                .header("ce-specversion", "1.0")
                .header("ce-id", "evt-2")
                .header("ce-source", "/test")
                .header("ce-type", "block.transform.input")
                .header("ce-runid", "run-http")
                .header("ce-blockid", "shape")
                .contentType("application/json")
                .body("{\"value\": [\"a\", \"b\"]}")
        .when()
                .post("/")
        .then()
                .statusCode(200)
                .header("ce-type", "block.transform.output")
                .body("size()", equalTo(2))
                .body("[0]", equalTo("a"));
    }

    @Test
    void aMissingValueIsAnsweredWithInvalidParametersErrorEvent() {
        given()
                .header("ce-specversion", "1.0")
                .header("ce-id", "evt-3")
                .header("ce-source", "/test")
                .header("ce-type", "block.transform.input")
                .header("ce-runid", "run-http")
                .header("ce-blockid", "shape")
                .contentType("application/json")
                .body("{}")
        .when()
                .post("/")
        .then()
                .statusCode(200)
                .header("ce-type", "block.transform.error")
                .body("code", equalTo("INVALID_PARAMETERS"))
                .body("retryable", equalTo(false));
    }
}
