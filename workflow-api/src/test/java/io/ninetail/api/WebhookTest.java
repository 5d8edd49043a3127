package io.ninetail.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import io.ninetail.core.nats.EventPublisher;
import io.ninetail.core.nats.Topology;
import io.ninetail.testing.LocalHttpServer;
import io.ninetail.testing.LocalHttpServer.Reply;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /hooks/{path}} end to end: the real scheduler, hook, fetch, html-scraper and response
 * functions as processes, a page on a local server.
 */
@QuarkusTest
@WithTestResource(NinetailStack.class)
class WebhookTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "quarkus.thread-pool.max-threads")
    int workerThreads;
    @Inject
    EventPublisher publisher;

    private static final LocalHttpServer SITE = new LocalHttpServer()
            .route("/site", request -> Reply.text(200, "text/html; charset=utf-8", """
                    <html><body><h1>Ninetail</h1><p>nine tails</p>
                    <h2>Durable</h2><h2>Parallel</h2><h2>Cheap</h2></body></html>"""));

    @AfterAll
    static void stopSite() {
        SITE.close();
    }

    @Test
    void foundersListFormWorkflowAnswersItsWebhookWithTheScrapedHeadingsAsJson() throws Exception {
        String founders = Files.readString(Path.of("../examples/founder-list-form.json"))
                .replace("https://localhost:4000", SITE.url("/site"));
        given().body(founders).post("/workflows").then().statusCode(201)
                .body("name", equalTo("test")).body("hooks", equalTo(List.of("POST /hooks/test")));

        Response answer = given().body("{}").post("/hooks/test");

        answer.then().statusCode(200).contentType(ContentType.JSON)
                .body("h1", equalTo(List.of("Ninetail")))
                .body("h2", equalTo(List.of("Durable", "Parallel", "Cheap")));
        String runId = answer.header(HookResource.RUN_ID_HEADER);
        given().get("/runs/" + runId).then().statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("workflowVersion", equalTo(1))
                .body("blocks.hook.status", equalTo("COMPLETED"))
                .body("blocks.fetch.output.status", equalTo(200))
                .body("blocks.html-scraper.output.h1", equalTo(List.of("Ninetail")))
                .body("blocks.response.status", equalTo("COMPLETED"))
                .body("trigger.method", equalTo("POST"))
                .body("trigger.path", equalTo("/hooks/test"));
    }

    @Test
    void failingFetchMakesTheWebhookAnswer500WithTheRunIdAndTheFailingBlockAndCountsAFailedRun() {
        register("""
                {"name": "broken", "blocks": [
                  {"id": "in", "type": "hook", "with": {"path": "broken"}},
                  {"id": "page", "type": "fetch", "needs": ["in"], "with": {"url": "%s"}},
                  {"id": "reply", "type": "response", "needs": ["page"], "with": {"body": "${ .page.status }"}}]}
                """.formatted(SITE.url("/no-such-page")));
        double failedBefore = RunsTest.metric("ninetail_runs_failed_total");

        Response answer = given().body("{}").post("/hooks/broken");

        String runId = answer.header(HookResource.RUN_ID_HEADER);
        answer.then().statusCode(500).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(Problem.TYPE_BASE + "run-failed"))
                .body("runId", equalTo(runId))
                .body("blockId", equalTo("page"))
                .body("code", notNullValue())
                .body("detail", containsString("404"));
        given().get("/runs/" + runId).then().body("status", equalTo("FAILED"))
                .body("blocks.page.status", equalTo("FAILED"))
                .body("blocks.reply.status", equalTo("SKIPPED"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> RunsTest.metric("ninetail_runs_failed_total") >= failedBefore + 1);
    }

    @Test
    void slowRunAnswers504WithItsRunIdAndStillCompletes() throws Exception {
        Gate gate = new Gate(Reply.text(200, "text/html", "<h1>late</h1>"));
        SITE.route("/slow", gate);
        register("""
                {"name": "slow", "blocks": [
                  {"id": "in", "type": "hook", "with": {"path": "slow", "responseTimeout": "PT1S"}},
                  {"id": "page", "type": "fetch", "needs": ["in"], "with": {"url": "%s"}},
                  {"id": "heads", "type": "html-scraper", "needs": ["page"], "with": {"extract": {"h1": {"selector": "h1"}}}},
                  {"id": "reply", "type": "response", "needs": ["heads"]}]}
                """.formatted(SITE.url("/slow")));

        Response answer = given().body("{}").post("/hooks/slow");

        String runId = answer.header(HookResource.RUN_ID_HEADER);
        answer.then().statusCode(504).contentType(Problem.MEDIA_TYPE)
                .body("runId", equalTo(runId))
                .body("status", equalTo("RUNNING"))
                .body("links.events", equalTo("/runs/" + runId + "/events"));
        EventStream events = EventStream.open(RunsTest.url("/runs/" + runId + "/events"));
        gate.open();
        List<EventStream.SseEvent> history = events.readUntilClosed(Duration.ofSeconds(60));
        assertEquals("workflow.complete", history.get(history.size() - 1).event());
        given().get("/runs/" + runId).then().body("status", equalTo("COMPLETED"))
                .body("output.body.h1", equalTo("late"));
    }

    @Test
    void responseTimeoutInTheShortFormIsTheOneTheCallerWaits() {
        Gate gate = new Gate(Reply.text(200, "text/html", "<h1>late</h1>"));
        SITE.route("/slow-short", gate);
        register("""
                {"name": "slow-short", "blocks": [
                  {"id": "in", "type": "hook", "with": {"path": "slow-short", "responseTimeout": "1s"}},
                  {"id": "page", "type": "fetch", "needs": ["in"], "with": {"url": "%s"}},
                  {"id": "reply", "type": "response", "needs": ["page"], "with": {"body": "${ .page.status }"}}]}
                """.formatted(SITE.url("/slow-short")));

        Response answer = given().body("{}").post("/hooks/slow-short");
        gate.open();

        String runId = answer.header(HookResource.RUN_ID_HEADER);
        answer.then().statusCode(504).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(Problem.TYPE_BASE + "response-timeout"))
                .body("runId", equalTo(runId))
                .body("detail", containsString("within PT1S"));
    }

    /**
     * More callers wait at once than the api has worker threads: they all get their answer, so
     * waiting holds no thread (were it to, the runs beyond the pool would never reach the page).
     */
    @Test
    void manyMoreWaitingCallersThanWorkerThreadsAreAllAnswered() throws Exception {
        int callers = 50; // below the fetch function's 64 connections per host: all reach the page at once
        assertTrue(callers > workerThreads, "more callers (" + callers + ") than worker threads (" + workerThreads + ")");
        Gate gate = new Gate(Reply.text(200, "text/html", "<h1>crowd</h1>"), callers);
        SITE.route("/crowded", gate);
        register("""
                {"name": "crowded", "blocks": [
                  {"id": "in", "type": "hook", "with": {"path": "crowded"}},
                  {"id": "page", "type": "fetch", "needs": ["in"], "with": {"url": "%s"}},
                  {"id": "heads", "type": "html-scraper", "needs": ["page"], "with": {"extract": {"h1": {"selector": "h1"}}}},
                  {"id": "reply", "type": "response", "needs": ["heads"]}]}
                """.formatted(SITE.url("/crowded")));
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest call = HttpRequest.newBuilder(URI.create(RunsTest.url("/hooks/crowded")))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).timeout(Duration.ofSeconds(90)).build();

        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            answers.add(client.sendAsync(call, HttpResponse.BodyHandlers.ofString()));
        }
        gate.awaitRequests();
        gate.open();

        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get(90, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("{\"h1\":\"crowd\"}", response.body());
        }
    }

    @Test
    void workflowWithoutResponseBlockAnswers202WithTheRunIdOnceTheHookAcceptedTheRequest() {
        register("""
                {"name": "fire-and-forget", "blocks": [
                  {"id": "in", "type": "hook", "with": {"path": "events/incoming", "method": "PUT"}},
                  {"id": "page", "type": "fetch", "needs": ["in"], "with": {"url": "%s"}}]}
                """.formatted(SITE.url("/site")));

        Response answer = given().body("{\"n\": 1}").contentType(ContentType.JSON).put("/hooks/events/incoming/");

        String runId = answer.header(HookResource.RUN_ID_HEADER);
        answer.then().statusCode(202).body("runId", equalTo(runId))
                .body("links.self", equalTo("/runs/" + runId));
        given().get("/runs/" + runId).then().body("trigger.method", equalTo("PUT"))
                .body("trigger.body", equalTo("{\"n\": 1}"));
    }

    @Test
    void getWebhookHandsItsPathQueryAndHeadersToTheRun() {
        register("""
                {"name": "lookup", "blocks": [
                  {"id": "in", "type": "hook", "with": {"path": "lookup", "method": "GET"}},
                  {"id": "reply", "type": "response", "needs": ["in"],
                   "with": {"body": {"path": "${ .in.path }", "region": "${ .in.query.region }",
                                     "tags": "${ .in.query.tag }", "caller": "${ .in.headers.caller }",
                                     "body": "${ .in.body }"}}}]}
                """);

        given().header("Caller", "crm").queryParam("region", "eu").queryParam("tag", "a", "b")
                .get("/hooks/lookup").then().statusCode(200)
                .body("path", equalTo("/hooks/lookup")).body("region", equalTo("eu"))
                .body("tags", equalTo(List.of("a", "b"))).body("caller", equalTo("crm"))
                .body("body", nullValue());
    }

    @Test
    void hookThatRefusesTheRequestAnswersWithItsStatusAndNothingElseRuns() {
        register("""
                {"name": "partner", "blocks": [
                  {"id": "in", "type": "hook", "with": {"path": "partner",
                     "auth": {"type": "header", "header": "X-Partner-Token", "secretName": "partner-token"}}},
                  {"id": "reply", "type": "response", "needs": ["in"], "with": {"body": "${ .in.body }"}}]}
                """);

        Response missing = given().body("{}").post("/hooks/partner");
        missing.then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("UNAUTHORIZED")).body("blockId", equalTo("in"))
                .body("runId", equalTo(missing.header(HookResource.RUN_ID_HEADER)));
        given().get("/runs/" + missing.header(HookResource.RUN_ID_HEADER)).then()
                .body("blocks.reply.status", equalTo("SKIPPED"));

        given().header("X-Partner-Token", "guess").body("{}").post("/hooks/partner").then().statusCode(403)
                .body("code", equalTo("FORBIDDEN"));

        Response accepted = given().header("X-Partner-Token", NinetailStack.PARTNER_TOKEN).contentType(ContentType.JSON)
                .body("{\"order\": 7}").post("/hooks/partner");
        accepted.then().statusCode(200).body("order", equalTo(7));
        given().get("/runs/" + accepted.header(HookResource.RUN_ID_HEADER)).then()
                .body("trigger.headers.x-partner-token", equalTo(RunViews.REDACTED));
    }

    /**
     * A form post in ISO-8859-1 is not UTF-8: its signature is checked over the bytes as they
     * arrived (the api hands them over in base64), and the hook reads them in their charset.
     */
    @Test
    void aSignedLatin1BodyIsCheckedOverTheBytesReceivedAndReadInItsCharset() throws Exception {
        register("""
                {"name": "form", "blocks": [
                  {"id": "in", "type": "hook", "with": {"path": "form",
                     "auth": {"type": "hmac-sha256", "secretName": "form-signing"}}},
                  {"id": "reply", "type": "response", "needs": ["in"], "with": {"body": {"received": "${ .in.body }"}}}]}
                """);
        byte[] latin1 = "name=J\u00fcrgen&city=K\u00f6ln".getBytes(StandardCharsets.ISO_8859_1);
        String signature = "sha256=" + HexFormat.of().formatHex(hmacSha256(NinetailStack.FORM_SIGNING_KEY, latin1));

        HttpResponse<String> accepted = postForm("/hooks/form", signature, latin1);

        assertEquals(200, accepted.statusCode(), accepted.body());
        assertEquals("name=J\u00fcrgen&city=K\u00f6ln", JSON.readTree(accepted.body()).get("received").asText());
        given().get("/runs/" + accepted.headers().firstValue(HookResource.RUN_ID_HEADER).orElseThrow()).then()
                .body("trigger.bodyBase64", equalTo(Base64.getEncoder().encodeToString(latin1)));

        byte[] tampered = "name=J\u00fcrgen&city=W\u00fcrzburg".getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<String> refused = postForm("/hooks/form", signature, tampered);
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals("FORBIDDEN", JSON.readTree(refused.body()).get("code").asText());

        // U+FFFD is what bytes that are not UTF-8 decode to, but sent in UTF-8 it is just text
        byte[] replacementCharacter = "name=\ufffd".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> utf8 = postForm("/hooks/form",
                "sha256=" + HexFormat.of().formatHex(hmacSha256(NinetailStack.FORM_SIGNING_KEY, replacementCharacter)),
                replacementCharacter);
        assertEquals(200, utf8.statusCode(), utf8.body());
        given().get("/runs/" + utf8.headers().firstValue(HookResource.RUN_ID_HEADER).orElseThrow()).then()
                .body("trigger.body", equalTo("name=\ufffd")).body("trigger.bodyBase64", nullValue());
    }

    private static HttpResponse<String> postForm(String path, String signature, byte[] body) throws Exception {
        HttpRequest post = HttpRequest.newBuilder(URI.create(RunsTest.url(path)))
                .header("content-type", "application/x-www-form-urlencoded; charset=ISO-8859-1")
                .header("x-hub-signature-256", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(30)).build();
        return HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] hmacSha256(String key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(data);
    }

    @Test
    void unknownHookIs404AndAnotherMethodOnAKnownPathIs405() {
        register("""
                {"name": "only-post", "blocks": [{"id": "in", "type": "hook", "with": {"path": "only-post"}}]}
                """);

        given().post("/hooks/nobody-listens-here").then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(Problem.TYPE_BASE + "unknown-hook"));
        given().get("/hooks/only-post").then().statusCode(405).contentType(Problem.MEDIA_TYPE)
                .header("Allow", "POST");
    }

    @Test
    void aWebhooksRunIsWrittenFirstByTheSchedulerStartingIt() throws Exception {
        register("""
                {"name": "echo", "blocks": [
                  {"id": "in", "type": "hook", "with": {"path": "echo"}},
                  {"id": "reply", "type": "response", "needs": ["in"], "with": {"body": {"ok": true}}}]}
                """);
        List<String> statuses = new CopyOnWriteArrayList<>();
        List<String> keys = new CopyOnWriteArrayList<>();
        KeyValue runs = publisher.connection().keyValue(Topology.RUNS_BUCKET);
        NatsKeyValueWatchSubscription watch = runs.watchAll(new KeyValueWatcher() {
            @Override
            public void watch(KeyValueEntry entry) {
                keys.add(entry.getKey());
                statuses.add(entry.getValue() == null ? "deleted" : status(entry.getValue()));
            }

            @Override
            public void endOfData() {
            }
        }, KeyValueWatchOption.UPDATES_ONLY);
        try {
            Response answer = given().body("{}").post("/hooks/echo");

            answer.then().statusCode(200).body("ok", equalTo(true));
            String runId = answer.header(HookResource.RUN_ID_HEADER);
            await().atMost(Duration.ofSeconds(10)).until(() -> keys.lastIndexOf(runId) >= 0
                    && statuses.get(keys.lastIndexOf(runId)).equals("COMPLETED"));
            assertEquals("RUNNING", statuses.get(keys.indexOf(runId)),
                    "the run's first write is the scheduler's start, not a PENDING record by the api");
        } finally {
            watch.unsubscribe();
        }
    }

    private static String status(byte[] run) {
        try {
            return JSON.readTree(run).path("status").asText();
        } catch (java.io.IOException e) {
            return "unreadable";
        }
    }

    static void register(String workflow) {
        given().body(workflow).post("/workflows").then().statusCode(201);
    }
}
