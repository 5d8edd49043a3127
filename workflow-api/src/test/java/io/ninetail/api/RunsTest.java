package io.ninetail.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ninetail.testing.LocalHttpServer;
import io.ninetail.testing.LocalHttpServer.Reply;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.oneOf;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs over HTTP against the real scheduler and functions: start, wait, read, list, cancel, watch. */
@QuarkusTest
@WithTestResource(NinetailStack.class)
class RunsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalHttpServer SITE = new LocalHttpServer()
            .route("/news", request -> Reply.text(200, "text/html", "<h1>News</h1><h2>One</h2>"))
            .route("/long", request -> Reply.text(200, "text/html", "<h1>Long</h1><p>" + "x".repeat(20_000) + "</p>"))
            .route("/longer", request -> Reply.text(200, "text/html", "<h1>Longer</h1><p>" + "x".repeat(40_000) + "</p>"));

    /** hook → fetch → html-scraper → response, fetching {@code page}. */
    private static String scrape(String name, String page) {
        return """
                {"name": "%s", "blocks": [
                  {"id": "in", "type": "hook", "with": {"path": "%s"}},
                  {"id": "page", "type": "fetch", "needs": ["in"], "with": {"url": "%s"}},
                  {"id": "heads", "type": "html-scraper", "needs": ["page"], "with": {"extract": {"h1": {"selector": "h1"}}}},
                  {"id": "reply", "type": "response", "needs": ["heads"]}]}
                """.formatted(name, name, SITE.url(page));
    }

    @AfterAll
    static void stopSite() {
        SITE.close();
    }

    static String url(String path) {
        return RestAssured.baseURI + ":" + RestAssured.port + path;
    }

    @Test
    void runOfAStoredWorkflowIsAcceptedAndCanBeReadAtOnce() throws Exception {
        WebhookTest.register(scrape("accepted", "/news"));

        Response started = given().contentType(ContentType.JSON).body("{\"who\": \"me\"}").post("/workflows/accepted/runs");

        started.then().statusCode(202).body("status", equalTo("PENDING")).body("workflow", equalTo("accepted"));
        String runId = started.path("runId");
        started.then().body("links.self", equalTo("/runs/" + runId))
                .body("links.events", equalTo("/runs/" + runId + "/events"));
        given().get("/runs/" + runId).then().statusCode(200).body("runId", equalTo(runId))
                .body("input.who", equalTo("me")).body("definition.name", equalTo("accepted"))
                .body("$", not(org.hamcrest.Matchers.hasKey("outbox")));
        assertEquals(definitionOf("accepted"), JSON.readTree(given().get("/runs/" + runId).asString()).get("definition"),
                "the run keeps the version it started with");
    }

    @Test
    void waitAnswersTheFinishedRunWithEveryBlocksStateOutputAndAttempts() {
        WebhookTest.register(scrape("waited", "/news"));

        given().post("/workflows/waited/runs?wait=PT30S").then().statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("blocks.page.attempts[0].number", equalTo(1))
                .body("blocks.heads.output.h1", equalTo("News"))
                .body("output.status", equalTo(200))
                .body("output.body.h1", equalTo("News"))
                .body("deadline", org.hamcrest.Matchers.notNullValue())
                .body("$", not(org.hamcrest.Matchers.hasKey("alarm")));
    }

    @Test
    void waitThatPassesBeforeTheRunEndsAnswers202AndTheRunGoesOn() throws Exception {
        Gate gate = new Gate(Reply.text(200, "text/html", "<h1>Held</h1>"));
        SITE.route("/gated-wait", gate);
        WebhookTest.register(scrape("outwaited", "/gated-wait"));

        Response answer = given().post("/workflows/outwaited/runs?wait=PT1S");

        String runId = answer.path("runId");
        // The run is held at the gate, or (on a slow machine) not even started yet: not finished.
        answer.then().statusCode(202).body("status", oneOf("PENDING", "RUNNING"))
                .body("links.self", equalTo("/runs/" + runId));
        gate.open();
        await().atMost(WAIT).until(() -> "COMPLETED".equals(given().get("/runs/" + runId).path("status")));
    }

    @Test
    void outputsTheRecordNamesInsteadOfHoldingAreShownWholeUpTo32Kb() {
        WebhookTest.register(scrape("long", "/long"));
        WebhookTest.register(scrape("longer", "/longer"));

        String runId = given().post("/workflows/long/runs?wait=PT30S").then().statusCode(200)
                .body("blocks.page.output.bytes", greaterThan(20_000))
                .body("blocks.page", not(org.hamcrest.Matchers.hasKey("outputRef")))
                .body("output.body.h1", equalTo("Long"))
                .extract().path("runId");
        given().get("/runs/" + runId).then().statusCode(200)
                .body("blocks.page.output.body", org.hamcrest.Matchers.containsString("<h1>Long</h1>"))
                .body("blocks.heads.output.h1", equalTo("Long"));
        given().post("/workflows/longer/runs?wait=PT30S").then().statusCode(200)
                .body("blocks.page.outputRef", org.hamcrest.Matchers.startsWith("nats-stream:BLOCK_RESULT/"))
                .body("blocks.page", not(org.hamcrest.Matchers.hasKey("output")))
                .body("blocks.heads.output.h1", equalTo("Longer"));
    }

    @Test
    void inlineWorkflowRunsWithoutBeingStored() {
        String inline = "{\"workflow\": " + scrape("inline-only", "/news") + ", \"input\": {\"n\": 1}}";

        given().body(inline).post("/runs?wait=PT30S").then().statusCode(200)
                .body("status", equalTo("COMPLETED")).body("workflow", equalTo("inline-only"))
                .body("input.n", equalTo(1))
                .body("$", not(org.hamcrest.Matchers.hasKey("workflowVersion")));
        given().get("/workflows/inline-only").then().statusCode(404);
    }

    @Test
    void inlineListFormWorkflowRunsUnderItsGivenName() {
        String inline = """
                {"name": "inline-list", "input": {"n": 2}, "workflow": [
                  {"type": "hook", "path": "inline-list-hook"},
                  {"type": "fetch", "parameter": {"url": "%s"}},
                  {"type": "html-scraper", "parameter": [{"tags": "h1", "limit": 5}]},
                  {"type": "response", "header": [{"content-type": "json"}], "body": "{}"}]}
                """.formatted(SITE.url("/news"));

        given().body(inline).post("/runs?wait=PT30S").then().statusCode(200)
                .body("status", equalTo("COMPLETED")).body("workflow", equalTo("inline-list"))
                .body("input.n", equalTo(2))
                .body("output.body.h1", equalTo(List.of("News")));
        given().get("/workflows/inline-list").then().statusCode(404);
    }

    @Test
    void inlineWorkflowThatIsInvalidIsRejectedWithPointersIntoTheRequest() {
        given().body("{\"workflow\": {\"name\": \"x\", \"blocks\": [{\"id\": \"a\", \"type\": \"nope\"}]}}")
                .post("/runs").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].pointer", equalTo("/workflow/blocks/0/type"));
    }

    @Test
    void eventsStreamDeliversEveryBlockEventOfARunInOrderThenCloses() throws Exception {
        HeldRun held = startHeldAtItsFetch("watched", "/gated-events");
        String runId = held.runId();
        Gate gate = held.gate();

        EventStream live = EventStream.open(url("/runs/" + runId + "/events"));
        assertEquals(200, live.status());
        assertTrue(live.contentType().startsWith("text/event-stream"), live.contentType());
        gate.open();
        List<EventStream.SseEvent> events = live.readUntilClosed(WAIT);

        List<String> blockEvents = new ArrayList<>();
        long previousId = 0;
        for (EventStream.SseEvent event : events) {
            JsonNode cloudEvent = JSON.readTree(event.data());
            if (event.event().equals("workflow.start")) {
                assertEquals(definitionOf("watched"), cloudEvent.get("data").get("workflow"), "the start carries the workflow");
            }
            assertEquals(runId, cloudEvent.get("runid").asText());
            assertEquals(event.event(), cloudEvent.get("type").asText());
            assertTrue(Long.parseLong(event.id()) > previousId, "ids increase: " + events);
            previousId = Long.parseLong(event.id());
            if (!event.event().equals("workflow.response")) {
                blockEvents.add(event.event().replace("workflow.block.", "")
                        + (cloudEvent.has("blockid") ? " " + cloudEvent.get("blockid").asText() : ""));
            }
        }
        assertEquals(List.of("workflow.start",
                "running in", "completed in",
                "running page", "completed page",
                "running heads", "completed heads",
                "running reply", "completed reply",
                "workflow.complete"), blockEvents);
        assertTrue(events.stream().anyMatch(event -> event.event().equals("workflow.response")), "the response event");

        List<EventStream.SseEvent> replay = EventStream.open(url("/runs/" + runId + "/events")).readUntilClosed(WAIT);
        assertEquals(events, replay, "a finished run's stream is its history, then it closes");
    }

    @Test
    void eventsResumeAfterTheLastEventIdTheClientSaw() {
        WebhookTest.register(scrape("resumed", "/news"));
        String runId = given().post("/workflows/resumed/runs?wait=PT30S").then().statusCode(200).extract().path("runId");
        List<EventStream.SseEvent> all = EventStream.open(url("/runs/" + runId + "/events")).readUntilClosed(WAIT);

        String third = all.get(2).id();
        List<EventStream.SseEvent> rest = given().header("Last-Event-ID", third).get("/runs/" + runId + "/events")
                .then().statusCode(200).extract().asString().lines().filter(line -> line.startsWith("id:"))
                .map(line -> new EventStream.SseEvent(line.substring(3).strip(), null, null)).toList();

        assertEquals(all.subList(3, all.size()).stream().map(EventStream.SseEvent::id).toList(),
                rest.stream().map(EventStream.SseEvent::id).toList());
    }

    @Test
    void cancelStopsTheRunAndItsUnfinishedBlocks() throws Exception {
        HeldRun held = startHeldAtItsFetch("cancelled", "/gated-cancel");
        String runId = held.runId();
        Gate gate = held.gate();

        given().post("/runs/" + runId + "/cancel?wait=PT30S").then().statusCode(200)
                .body("status", equalTo("CANCELLED"))
                .body("blocks.in.status", equalTo("COMPLETED"))
                .body("blocks.page.status", equalTo("CANCELLED"))
                .body("blocks.heads.status", equalTo("CANCELLED"))
                .body("blocks.reply.status", equalTo("CANCELLED"));
        gate.open();

        given().post("/runs/" + runId + "/cancel").then().statusCode(409).contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo("CANCELLED"));
    }

    @Test
    void cancelWithoutWaitAnswers202AndTheRunEndsCancelled() throws Exception {
        HeldRun held = startHeldAtItsFetch("cancelled-later", "/gated-cancel-202");
        String runId = held.runId();
        Gate gate = held.gate();

        given().post("/runs/" + runId + "/cancel").then().statusCode(202)
                .body("runId", equalTo(runId)).body("status", equalTo("RUNNING"))
                .body("links.self", equalTo("/runs/" + runId));

        await().atMost(WAIT).until(() -> "CANCELLED".equals(given().get("/runs/" + runId).path("status")));
        gate.open();
    }

    @Test
    void runWhoseRecordWouldNotFitInANatsMessageIsA413Problem() {
        // Definition and input each just under the body limit (512K): together, with the record's
        // own fields, more than a NATS message holds (1 MiB less the header room).
        String workflow = padded("{\"name\": \"too-large\", \"blocks\": [{\"id\": \"out\", \"type\": \"transform\","
                + " \"with\": {\"value\": [", "]}}]}");
        WebhookTest.register(workflow);

        given().contentType(ContentType.JSON).body(padded("[", "]")).post("/workflows/too-large/runs").then()
                .statusCode(413).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(Problem.TYPE_BASE + "run-too-large"));
        given().get("/runs?workflow=too-large").then().body("runs", equalTo(List.of()));
    }

    /** {@code head}, strings of x, {@code tail}: 524,000 bytes of JSON, a little under the api's body limit. */
    /** A run of {@link #scrape} started through the api and held at its fetch until {@code gate} opens. */
    private record HeldRun(String runId, Gate gate) {
    }

    private static HeldRun startHeldAtItsFetch(String workflow, String page) throws InterruptedException {
        Gate gate = new Gate(Reply.text(200, "text/html", "<h1>Held</h1>"));
        SITE.route(page, gate);
        WebhookTest.register(scrape(workflow, page));
        String runId = given().post("/workflows/" + workflow + "/runs").then().statusCode(202).extract().path("runId");
        gate.awaitRequest();
        return new HeldRun(runId, gate);
    }

    private static String padded(String head, String tail) {
        int size = 524_000;
        StringBuilder json = new StringBuilder(head);
        String chunk = "\"" + "x".repeat(60_000) + "\",";
        while (json.length() + chunk.length() + tail.length() + 2 < size) {
            json.append(chunk);
        }
        json.append('"').append("x".repeat(size - json.length() - tail.length() - 2)).append('"');
        return json.append(tail).toString();
    }

    @Test
    void runsAreListedNewestFirstByWorkflowAndStatusPageByPage() {
        WebhookTest.register(scrape("listed", "/news"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(0, given().post("/workflows/listed/runs?wait=PT30S").then().statusCode(200).extract().path("runId"));
        }

        Response first = given().get("/runs?workflow=listed&status=COMPLETED&limit=2");
        first.then().statusCode(200).body("runs.runId", equalTo(ids.subList(0, 2)));
        given().get("/runs?workflow=listed&limit=2&cursor=" + first.path("next")).then()
                .body("runs.runId", equalTo(ids.subList(2, 3)));
        given().get("/runs?status=FAILED&workflow=listed").then().body("runs.runId", equalTo(List.of()));
        given().get("/runs?status=DONE").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void unknownRunIsA404Problem() {
        given().get("/runs/01NOSUCHRUN").then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(Problem.TYPE_BASE + "unknown-run")).body("runId", equalTo("01NOSUCHRUN"));
        given().get("/runs/01NOSUCHRUN/events").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        given().post("/runs/01NOSUCHRUN/cancel").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void metricsCountRunsAndWebhookCallsAndShowPendingTasksPerBlockType() {
        WebhookTest.register(scrape("metered", "/news"));
        given().post("/hooks/metered").then().statusCode(200);
        given().post("/hooks/metered").then().statusCode(200);

        await().atMost(WAIT).until(() -> metric("ninetail_runs_completed_total") >= 2);
        assertTrue(metric("ninetail_runs_started_total{via=\"hook\"}") >= 2);
        assertEquals(2.0, metric("ninetail_webhook_duration_seconds_count{status=\"200\",workflow=\"metered\"}"));
        assertEquals(2.0, metric("ninetail_webhook_duration_seconds_bucket{status=\"200\",workflow=\"metered\",le=\"+Inf\"}"),
                "a histogram, for percentiles across replicas");
        await().atMost(WAIT).until(() -> metric("ninetail_block_tasks_pending{type=\"fetch\"}") == 0.0);
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.keySet()", hasItem("/hooks/{path}"))
                .body("info.title", startsWith("Ninetail"));
    }

    @Test
    void inputsWaitingForABlockTypeWithNoFunctionRunningAreCountedAsPending() {
        // No transform function runs in this stack: the transform's input waits in BLOCK_INPUT.
        WebhookTest.register("""
                {"name": "unserved", "blocks": [
                  {"id": "in", "type": "hook", "with": {"path": "unserved"}},
                  {"id": "out", "type": "transform", "needs": ["in"], "with": {"value": 1}}]}
                """);
        String runId = given().post("/workflows/unserved/runs").then().statusCode(202).extract().path("runId");

        await().atMost(WAIT).until(() -> metric("ninetail_block_tasks_pending{type=\"transform\"}") >= 1.0);
        given().post("/runs/" + runId + "/cancel").then().statusCode(202);
    }

    @Test
    void swaggerUiIsServed() {
        given().get("/q/swagger-ui").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("swagger-ui"));
    }

    private static JsonNode definitionOf(String workflow) throws Exception {
        return JSON.readTree(given().get("/workflows/" + workflow).then().statusCode(200).extract().asString())
                .get("definition");
    }

    /** A sample's value in /q/metrics; -1 when it is not there. */
    static double metric(String sample) {
        String prefix = sample + " ";
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length()).strip()))
                .findFirst().orElse(-1);
    }
}
