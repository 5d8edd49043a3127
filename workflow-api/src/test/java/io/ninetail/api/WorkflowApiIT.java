package io.ninetail.api;

import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The packaged api (the jar here; the native binary with -Dnative), alone with NATS: everything it
 * reads and writes as JSON — stored workflows, hook routes, run records, problems with their
 * errors — survives the trip, which in a native image needs each type registered for reflection.
 */
@QuarkusIntegrationTest
@WithTestResource(NatsServerResource.class)
class WorkflowApiIT {

    @Test
    void workflowsHookRoutesRunsAndProblemsGoThroughThePackagedApi() {
        given().body("""
                {"name": "it", "blocks": [
                  {"id": "in", "type": "hook", "with": {"path": "it", "method": "PUT"}},
                  {"id": "out", "type": "transform", "needs": ["in"], "with": {"value": 1}}]}
                """).post("/workflows").then().statusCode(201).body("hooks", hasItem("PUT /hooks/it"));
        given().get("/workflows/it").then().statusCode(200).body("version", equalTo(1));
        given().get("/workflows").then().statusCode(200).body("workflows.name", hasItem("it"));
        given().post("/hooks/it").then().statusCode(405).header("Allow", "PUT");

        given().body("{\"name\": \"bad\", \"blocks\": [{\"id\": \"a\", \"type\": \"fetsh\"}]}").post("/workflows")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("errors[0].pointer", equalTo("/blocks/0/type"));

        String runId = given().contentType(ContentType.JSON).body("{\"n\": 1}").post("/workflows/it/runs")
                .then().statusCode(202).extract().path("runId");
        given().get("/runs/" + runId).then().statusCode(200)
                .body("status", equalTo("PENDING")).body("input.n", equalTo(1)).body("blocks.out.status", equalTo("PENDING"));
    }
}
