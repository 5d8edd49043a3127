package io.ninetail.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Workflow definitions over HTTP: validation, versions, the hook registry, deletion. */
@QuarkusTest
@WithTestResource(NinetailStack.class)
class WorkflowsTest {

    private static String transform(String name, String path, Object value) {
        return """
                {"name": "%s", "blocks": [
                  {"id": "in", "type": "hook", "with": {"path": "%s"}},
                  {"id": "out", "type": "transform", "needs": ["in"], "with": {"value": %s}}]}
                """.formatted(name, path, value);
    }

    @Test
    void invalidDefinitionIsRejectedWithEveryErrorAndItsPointer() {
        given().body("""
                {"name": "never-stored", "blocks": [
                  {"id": "a", "type": "fetsh", "with": {}},
                  {"id": "b", "type": "fetch", "needs": ["zz"], "with": {"url": "${ .a.body | }"}},
                  {"id": "b", "type": "response", "retry": {"maxAttempts": 0}}]}
                """).post("/workflows").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(Problem.TYPE_BASE + "invalid-workflow"))
                .body("title", equalTo("Invalid workflow"))
                .body("status", equalTo(400))
                .body("errors.pointer", hasItem("/blocks/0/type"))
                .body("errors.pointer", hasItem("/blocks/1/needs/0"))
                .body("errors.pointer", hasItem("/blocks/1/with/url"))
                .body("errors.pointer", hasItem("/blocks/2/id"))
                .body("errors.pointer", hasItem("/blocks/2/retry/maxAttempts"))
                .body("errors.message", hasItem(containsString("needs unknown block 'zz'")));
        given().get("/workflows/never-stored").then().statusCode(404);
    }

    @Test
    void listFormErrorsPointIntoTheSubmittedArray() {
        given().body("[{\"type\": \"hook\", \"path\": \"lf\"}, {\"type\": \"fetch\"}, {\"type\": \"scrape\"}]")
                .post("/workflows").then().statusCode(400)
                .body("errors.pointer", equalTo(List.of("/1", "/2/type")));
    }

    @Test
    void documentThatIsNotJsonIsRejectedWithAProblem() {
        given().body("{\"name\": ").post("/workflows").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors", hasSize(1));
    }

    @Test
    void savingAgainStoresANewVersionAndRunsKeepTheVersionTheyStartedWith() {
        given().body(transform("versioned", "versioned", "1")).post("/workflows").then().statusCode(201)
                .header("Location", containsString("/workflows/versioned")).body("version", equalTo(1));
        String first = given().post("/workflows/versioned/runs").then().statusCode(202).extract().path("runId");

        given().body(transform("versioned", "versioned", "2")).post("/workflows").then().statusCode(200)
                .body("version", equalTo(2));

        given().get("/workflows/versioned").then().body("version", equalTo(2))
                .body("definition.blocks[1].with.value", equalTo(2));
        given().get("/workflows/versioned?version=1").then().body("version", equalTo(1))
                .body("definition.blocks[1].with.value", equalTo(1));
        String second = given().post("/workflows/versioned/runs").then().statusCode(202).extract().path("runId");
        String again = given().post("/workflows/versioned/runs?version=1").then().statusCode(202)
                .extract().path("runId");

        // Read once the scheduler has started them: its write keeps the version the api wrote.
        for (String run : List.of(first, second, again)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> "RUNNING".equals(given().get("/runs/" + run).path("status")));
        }
        given().get("/runs/" + first).then().body("definition.blocks[1].with.value", equalTo(1))
                .body("workflowVersion", equalTo(1));
        given().get("/runs/" + second).then().body("definition.blocks[1].with.value", equalTo(2))
                .body("workflowVersion", equalTo(2));
        given().get("/runs/" + again).then().body("definition.blocks[1].with.value", equalTo(1))
                .body("workflowVersion", equalTo(1));
        given().get("/runs?workflow=versioned").then().body("runs.runId", equalTo(List.of(again, second, first)))
                .body("runs.workflowVersion", equalTo(List.of(1, 2, 1)));
        given().get("/workflows").then().statusCode(200).body("workflows.name", hasItem("versioned"));
    }

    @Test
    void listFormIsNamedByTheNameParameterElseByItsHookPath() {
        String list = "[{\"type\": \"hook\", \"path\": \"orders/new\"}, {\"type\": \"transform\", \"parameter\": {\"value\": 1}}]";
        given().body(list).post("/workflows").then().statusCode(201).body("name", equalTo("orders-new"))
                .body("hooks", equalTo(List.of("POST /hooks/orders/new")));
        given().body(list.replace("orders/new", "orders/old")).queryParam("name", "legacy-orders").post("/workflows")
                .then().statusCode(201).body("name", equalTo("legacy-orders"));
    }

    @Test
    void hookRouteServedByAnotherWorkflowIsAConflictAndAVersionThatDropsAHookReleasesIt() {
        given().body(transform("owner", "shared", "1")).post("/workflows").then().statusCode(201);

        given().body(transform("intruder", "shared/", "1")).post("/workflows").then().statusCode(409)
                .contentType(Problem.MEDIA_TYPE)
                .body("errors[0].pointer", equalTo("/blocks/0/with/path"))
                .body("errors[0].message", containsString("workflow 'owner'"));

        given().body(transform("owner", "moved", "1")).post("/workflows").then().statusCode(200);
        given().body(transform("intruder", "shared", "1")).post("/workflows").then().statusCode(201);
    }

    @Test
    void deletedWorkflowIsGoneWithItsVersionsAndHook() {
        given().body(transform("doomed", "doomed", "1")).post("/workflows").then().statusCode(201);
        given().body(transform("doomed", "doomed", "2")).post("/workflows").then().statusCode(200);

        given().delete("/workflows/doomed").then().statusCode(204);

        given().get("/workflows/doomed").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        given().get("/workflows/doomed?version=1").then().statusCode(404);
        given().post("/hooks/doomed").then().statusCode(404);
        given().get("/workflows").then().body("workflows.name", not(hasItem("doomed")));
        given().delete("/workflows/doomed").then().statusCode(404);
        given().body(transform("doomed", "doomed", "3")).post("/workflows").then().statusCode(201)
                .body("version", equalTo(1));
    }

    @Test
    void schemaIsPublishedAndItsNameIsReserved() {
        given().get("/workflows/schema").then().statusCode(200)
                .body("$id", equalTo("https://ninetail.io/schemas/workflow.schema.json"));
        given().body(transform("schema", "schema-hook", "1")).post("/workflows").then().statusCode(400)
                .body("errors[0].pointer", equalTo("/name"));
    }

    @Test
    void bodyLargerThanTheLimitIsA413Problem() {
        given().body("[" + "1,".repeat(300_000) + "1]").post("/workflows").then().statusCode(413)
                .contentType(Problem.MEDIA_TYPE).body("maxBytes", equalTo(512 * 1024));
    }

    /**
     * Sent in chunks, there is no Content-Length to refuse it by: it is found too large while it
     * streams in. Quarkus' REST layer answers that 413 itself, with no problem body (docs/api.md).
     */
    @Test
    void chunkedBodyLargerThanTheLimitIsA413() throws Exception {
        byte[] body = ("[" + "1,".repeat(300_000) + "1]").getBytes(StandardCharsets.US_ASCII);
        HttpRequest request = HttpRequest.newBuilder(URI.create(RunsTest.url("/workflows")))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .timeout(Duration.ofSeconds(30)).build();

        HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());

        assertEquals(413, answer.statusCode(), answer.body());
        assertEquals("close", answer.headers().firstValue("Connection").orElse(""));
    }
}
