package io.ninetail.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Subscription;
import io.nats.client.api.ConsumerInfo;
import io.ninetail.e2e.Api.Answer;
import io.ninetail.testing.JetStreamProbe;
import io.ninetail.testing.LocalHttpServer;
import io.ninetail.testing.LocalHttpServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static io.ninetail.e2e.Api.JSON;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a user does with Ninetail, through the api of the launched system, against real pages on 127.0.0.1. */
@ExtendWith(NinetailExtension.class)
class WorkflowsIT {

    private static final Duration FINISH = Duration.ofSeconds(90);
    private static final LocalHttpServer SITE = new LocalHttpServer();
    private static LaunchedSystem system;
    private static Api api;

    @BeforeAll
    static void launched(LaunchedSystem launched) {
        system = launched;
        api = new Api(launched);
    }

    @AfterAll
    static void stopSite() {
        SITE.close();
    }

    @Test
    void foundersListFormWorkflowAnswersItsWebhookWithTheScrapedHeadings() throws Exception {
        String page = Files.readString(system.file("examples/site/index.html"));
        SITE.route("/", request -> Reply.text(200, "text/html; charset=utf-8", page));
        // As the README does: the founder's workflow, pointed at a page on this machine.
        api.register(Files.readString(system.file("examples/founder-list-form.json"))
                .replace("https://localhost:4000", SITE.url("/")));

        Answer answer = api.post("/hooks/test", "{}");

        assertEquals(200, answer.status(), answer.body());
        assertEquals("application/json", answer.contentType());
        assertEquals(JSON.readTree("""
                {"h1": ["The Ninetail Gazette", "Morning edition"],
                 "h2": ["Nine tails spotted over the harbour", "Workflows finish before the coffee does",
                        "JetStream keeps every message", "Weather: clear, with a chance of retries"]}"""), answer.json());
        // The caller has its answer once the response block has run; the run ends a moment later.
        JsonNode run = api.awaitFinished(answer.runIdHeader(), FINISH);
        assertEquals(List.of("hook", "fetch", "html-scraper", "response"), names(run.path("blocks")));
        RunAssertions.assertCompletedOnce(api, run);
    }

    @Test
    void fanOutFetchesFivePagesAtOnceAndTheJoinWaitsForThemAll() throws Exception {
        // Each page answers only once all five are asked for: fetched one after another, they would time out.
        CountDownLatch allAsked = new CountDownLatch(5);
        for (int part = 1; part <= 5; part++) {
            int number = part;
            SITE.route("/part/" + part, request -> {
                allAsked.countDown();
                if (!allAsked.await(30, TimeUnit.SECONDS)) {
                    return Reply.text(503, "text/plain", "the five pages were not asked for at once");
                }
                return Reply.text(200, "application/json",
                        "{\"part\": " + number + ", \"who\": \"" + request.query().replace("who=", "") + "\"}");
            });
        }
        StringBuilder pages = new StringBuilder();
        for (int part = 1; part <= 5; part++) {
            pages.append("""
                    {"id": "p%d", "type": "fetch", "needs": ["trigger"],
                     "with": {"url": "%s", "query": {"who": "${ .trigger.body.who }"}}},
                    """.formatted(part, SITE.url("/part/" + part)));
        }
        api.register("""
                {"name": "fan-out", "blocks": [
                  {"id": "trigger", "type": "hook", "with": {"path": "fan-out"}},
                  %s
                  {"id": "join", "type": "transform", "needs": ["p1", "p2", "p3", "p4", "p5"],
                   "with": {"value": {"parts": "${ [.p1, .p2, .p3, .p4, .p5] | map(.body.part) }",
                                      "who": "${ [.p1, .p2, .p3, .p4, .p5] | map(.body.who) | unique }"}}},
                  {"id": "reply", "type": "response", "needs": ["join"]}
                ]}""".formatted(pages));

        Answer answer = api.post("/hooks/fan-out", "{\"who\": \"ada\"}");

        assertEquals(200, answer.status(), answer.body());
        assertEquals(JSON.readTree("{\"parts\": [1, 2, 3, 4, 5], \"who\": [\"ada\"]}"), answer.json());
        JsonNode run = api.awaitFinished(answer.runIdHeader(), FINISH);
        RunAssertions.assertCompletedOnce(api, run);
        Instant joined = Instant.parse(run.path("blocks").path("join").path("startedAt").asText());
        for (int part = 1; part <= 5; part++) {
            Instant fetched = Instant.parse(run.path("blocks").path("p" + part).path("endedAt").asText());
            assertFalse(joined.isBefore(fetched), "join started at " + joined + ", before p" + part + " ended at " + fetched);
            assertEquals(1, SITE.requests("/part/" + part).size(), "page " + part + " fetched once");
        }
    }

    @Test
    void pageThatFailsTwiceIsFetchedAThirdTimeAndTheRunRecordsEveryAttempt() {
        AtomicInteger calls = new AtomicInteger();
        SITE.route("/flaky", request -> calls.incrementAndGet() <= 2
                ? Reply.text(503, "text/plain", "busy, try again")
                : Reply.text(200, "application/json", "{\"ok\": true}"));

        String runId = api.startInline("""
                {"name": "flaky", "blocks": [
                  {"id": "page", "type": "fetch", "with": {"url": "%s"},
                   "retry": {"maxAttempts": 3, "delay": "PT0.2S"}}]}""".formatted(SITE.url("/flaky")), "{}");
        JsonNode run = api.awaitFinished(runId, FINISH);

        assertEquals("COMPLETED", run.path("status").asText(), run::toString);
        JsonNode page = run.path("blocks").path("page");
        assertEquals("COMPLETED", page.path("status").asText());
        assertEquals(3, page.path("attempt").asInt(), page::toString);
        assertEquals(3, page.path("attempts").size(), page::toString);
        for (int failed = 0; failed < 2; failed++) {
            JsonNode attempt = page.path("attempts").get(failed);
            assertEquals(failed + 1, attempt.path("number").asInt());
            assertEquals("STATUS", attempt.path("error").path("code").asText(), attempt::toString);
            assertEquals(503, attempt.path("error").path("details").path("status").asInt(), attempt::toString);
        }
        assertTrue(page.path("attempts").get(2).path("error").isMissingNode()
                || page.path("attempts").get(2).path("error").isNull(), page::toString);
        assertEquals(JSON.createObjectNode().put("ok", true), page.path("output").path("body"));
        assertEquals(3, SITE.requests("/flaky").size());
    }

    @Test
    void errorsAreRoutedByOnErrorContinueAndByABlockThatRunsOnFailure() {
        SITE.route("/gone", request -> Reply.text(404, "text/plain", "no such page"));

        String runId = api.startInline("""
                {"name": "error-routes", "blocks": [
                  {"id": "missing", "type": "fetch", "with": {"url": "%1$s"}, "onError": "continue"},
                  {"id": "shape", "type": "transform", "needs": ["missing"],
                   "with": {"value": {"code": "${ .missing.code }", "status": "${ .missing.details.status }"}}},
                  {"id": "broken", "type": "fetch", "with": {"url": "%1$s"}},
                  {"id": "notify", "type": "transform", "needs": ["broken"], "with": {"value": "never"}},
                  {"id": "fallback", "type": "transform", "needs": ["broken"], "runIf": "failure",
                   "with": {"value": {"recovered": "${ .broken.code }"}}}
                ]}""".formatted(SITE.url("/gone")), "{}");
        JsonNode run = api.awaitFinished(runId, FINISH);

        assertEquals("COMPLETED", run.path("status").asText(), "the failure was handled: " + run);
        JsonNode blocks = run.path("blocks");
        assertEquals("COMPLETED", blocks.path("missing").path("status").asText(), "onError: continue");
        assertEquals("STATUS", blocks.path("missing").path("output").path("code").asText(), "its error is its output");
        assertEquals(JSON.createObjectNode().put("code", "STATUS").put("status", 404), blocks.path("shape").path("output"));
        assertEquals("FAILED", blocks.path("broken").path("status").asText());
        assertEquals("STATUS", blocks.path("broken").path("error").path("code").asText());
        assertEquals("SKIPPED", blocks.path("notify").path("status").asText(), "runs on success only");
        assertEquals("COMPLETED", blocks.path("fallback").path("status").asText(), "runIf: failure");
        assertEquals(JSON.createObjectNode().put("recovered", "STATUS"), blocks.path("fallback").path("output"));
        assertEquals(1, blocks.path("broken").path("attempts").size(), "a 404 is not retried");
    }

    @Test
    void cancelledRunStaysCancelledWhenItsFetchAnswersLate() throws Exception {
        Gate held = new Gate(request -> Reply.text(200, "application/json", "{\"late\": true}"));
        SITE.route("/held", held);
        String runId = api.startInline("""
                {"name": "cancelled", "blocks": [
                  {"id": "page", "type": "fetch", "with": {"url": "%s", "timeout": "PT2M"}},
                  {"id": "after", "type": "transform", "needs": ["page"], "with": {"value": "${ .page.body }"}}
                ]}""".formatted(SITE.url("/held")), "{}");
        held.awaitArrivals(1, FINISH);

        try (JetStreamProbe nats = new JetStreamProbe(system.natsUrl())) {
            Subscription lateResult = nats.subscribe("block.fetch." + runId + ".page.output");
            Answer cancelled = api.post("/runs/" + runId + "/cancel?wait=PT60S", "");
            assertEquals(200, cancelled.status(), cancelled.body());
            assertEquals("CANCELLED", cancelled.json().path("status").asText(), cancelled.body());
            JsonNode atCancel = api.run(runId);
            assertEquals("CANCELLED", atCancel.path("blocks").path("page").path("status").asText());
            assertEquals("CANCELLED", atCancel.path("blocks").path("after").path("status").asText());
            long resultsBefore = nats.management().getStreamInfo("BLOCK_RESULT").getStreamState().getLastSequence();

            held.open();
            JetStreamProbe.next(lateResult, FINISH);
            // The scheduler has taken the late result once it acknowledged a result stored after the cancel.
            await("the scheduler took the late result").atMost(FINISH).until(() -> {
                ConsumerInfo scheduler = nats.consumer("BLOCK_RESULT", "scheduler-results");
                return scheduler.getAckFloor().getStreamSequence() > resultsBefore;
            });

            assertEquals(atCancel, api.run(runId), "the late result changed nothing");
        }
        List<String> events = api.events(runId).stream().map(Api.SseEvent::event).toList();
        assertEquals(1, events.stream().filter("workflow.cancelled"::equals).count(), events::toString);
        assertFalse(events.contains("workflow.complete"), events::toString);
        assertFalse(events.contains("workflow.block.completed"), "no block completed: " + events);
        assertEquals(1, SITE.requests("/held").size());
    }

    @Test
    void twoHundredConcurrentWebhookCallsEachGetTheirOwnAnswer() throws Exception {
        api.register("""
                {"name": "square", "blocks": [
                  {"id": "trigger", "type": "hook", "with": {"path": "square", "responseTimeout": "PT2M"}},
                  {"id": "calc", "type": "transform", "needs": ["trigger"],
                   "with": {"value": {"n": "${ .trigger.body.n }", "square": "${ .trigger.body.n * .trigger.body.n }",
                                      "caller": "${ .trigger.body.caller }"}}},
                  {"id": "reply", "type": "response", "needs": ["calc"]}
                ]}""");

        List<CompletableFuture<Answer>> calls = IntStream.range(0, 200)
                .mapToObj(n -> api.postAsync("/hooks/square", "{\"n\": " + n + ", \"caller\": \"caller-" + n + "\"}"))
                .toList();

        Set<String> runIds = new HashSet<>();
        for (int n = 0; n < calls.size(); n++) {
            Answer answer = calls.get(n).get(3, TimeUnit.MINUTES);
            assertEquals(200, answer.status(), "caller " + n + ": " + answer.body());
            assertEquals(JSON.readTree("{\"n\": %d, \"square\": %d, \"caller\": \"caller-%d\"}".formatted(n, n * n, n)),
                    answer.json(), "caller " + n + " (run " + answer.runIdHeader() + ")");
            runIds.add(answer.runIdHeader());
        }
        assertEquals(200, runIds.size(), "a run per call");
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
