package io.ninetail.fetch;

import io.ninetail.testing.LocalHttpServer;
import io.ninetail.testing.LocalHttpServer.Reply;
import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** The fetch function as Knative Eventing calls it: a CloudEvent POSTed over HTTP, the result in the reply. */
@QuarkusTest
@WithTestResource(NatsServerResource.class)
class FetchKnativeTriggerTest {

    private static final LocalHttpServer SITE = new LocalHttpServer()
            .route("/hello", request -> Reply.text(200, "text/html", "<h1>Hello</h1>"))
            .route("/broken", request -> Reply.text(503, "text/plain", "try later"));

    @AfterAll
    static void stopSite() {
        SITE.close();
    }

    @Test
    void binaryModeInputIsAnsweredWithOutputEvent() {
        given()
                .header("ce-specversion", "1.0")
                .header("ce-id", "evt-1")
                .header("ce-source", "/test")
                .header("ce-type", "block.fetch.input")
                .header("ce-runid", "run-http")
                .header("ce-blockid", "page")
                .header("ce-attempt", "2")
                .contentType("application/json")
                .body("{\"url\":\"" + SITE.url("/hello") + "\"}")
        .when()
                .post("/")
        .then()
                .statusCode(200)
                .header("ce-type", "block.fetch.output")
                .header("ce-id", "evt-1/output")
                .header("ce-runid", "run-http")
                .header("ce-blockid", "page")
                .header("ce-attempt", "2")
                .body("status", equalTo(200))
                .body("body", equalTo("<h1>Hello</h1>"))
                .body("url", equalTo(SITE.url("/hello")));
    }

    @Test
    void structuredModeInputIsAnsweredInStructuredMode() {
        given()
                .contentType("application/cloudevents+json")
                .body("""
                        {"specversion": "1.0", "id": "evt-2", "source": "/test", "type": "block.fetch.input",
                         "runid": "run-http", "blockid": "page", "datacontenttype": "application/json",
                         "data": {"url": "%s"}}""".formatted(SITE.url("/hello")))
        .when()
                .post("/")
        .then()
                .statusCode(200)
                .contentType(startsWith("application/cloudevents+json"))
                .body("type", equalTo("block.fetch.output"))
                .body("runid", equalTo("run-http"))
                .body("blockid", equalTo("page"))
                .body("data.status", equalTo(200))
                .body("data.body", equalTo("<h1>Hello</h1>"));
    }

    @Test
    void failingStatusIsAnsweredWithRetryableErrorEvent() {
        given()
                .header("ce-specversion", "1.0")
                .header("ce-id", "evt-3")
                .header("ce-source", "/test")
                .header("ce-type", "block.fetch.input")
                .header("ce-runid", "run-http")
                .header("ce-blockid", "flaky")
                .contentType("application/json")
                .body("{\"url\":\"" + SITE.url("/broken") + "\"}")
        .when()
                .post("/")
        .then()
                .statusCode(200)
                .header("ce-type", "block.fetch.error")
                .body("code", equalTo("STATUS"))
                .body("retryable", equalTo(true))
                .body("details.status", equalTo(503))
                .body("details.body", equalTo("try later"));
    }

    @Test
    void cloudMetadataTargetIsAnsweredWithBlockedTargetErrorEvent() {
        given()
                .header("ce-specversion", "1.0")
                .header("ce-id", "evt-6")
                .header("ce-source", "/test")
                .header("ce-type", "block.fetch.input")
                .header("ce-runid", "run-http")
                .header("ce-blockid", "steal")
                .contentType("application/json")
                .body("{\"url\": \"http://169.254.169.254/latest/meta-data/iam/\"}")
        .when()
                .post("/")
        .then()
                .statusCode(200)
                .header("ce-type", "block.fetch.error")
                .body("code", equalTo("BLOCKED_TARGET"))
                .body("retryable", equalTo(false))
                .body("details.kind", equalTo("metadata"));
    }

    @Test
    void inputWithoutRunIdIsABadRequestNamingTheAttribute() {
        given()
                .header("ce-specversion", "1.0")
                .header("ce-id", "evt-5")
                .header("ce-source", "/test")
                .header("ce-type", "block.fetch.input")
                .header("ce-blockid", "page")
                .contentType("application/json")
                .body("{\"url\":\"" + SITE.url("/hello") + "\"}")
        .when()
                .post("/")
        .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", equalTo("CloudEvent extension 'runid' is missing"));
    }

    @Test
    void unknownEventTypeIsNotRouted() {
        given()
                .header("ce-specversion", "1.0")
                .header("ce-id", "evt-4")
                .header("ce-source", "/test")
                .header("ce-type", "block.html-scraper.input")
                .header("ce-runid", "run-http")
                .header("ce-blockid", "x")
                .contentType("application/json")
                .body("{}")
        .when()
                .post("/")
        .then()
                .statusCode(404);
    }
}
