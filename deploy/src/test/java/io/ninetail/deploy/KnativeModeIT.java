package io.ninetail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.knative.eventing.v1.Trigger;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.ninetail.core.nats.Topology;
import io.ninetail.deploy.Repo.App;
import io.ninetail.deploy.TestBroker.Delivery;
import io.ninetail.testing.AppProcess;
import io.ninetail.testing.JetStreamProbe;
import io.ninetail.testing.LocalHttpServer;
import io.ninetail.testing.NatsServerResource;
import io.ninetail.testing.NatsServerResource.RunningNats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Knative mode without a cluster: the packaged scheduler and functions run as processes with
 * only their HTTP CloudEvents triggers (the functions' JetStream trigger off, the scheduler
 * sending inputs to its sink), the packaged api sends run starts and cancels to its sink, and
 * {@link TestBroker} plays the broker with the checked-in triggers of deploy/knative/base/eventing.
 * The founder's workflow runs end to end through it, called at the api's webhook.
 */
class KnativeModeIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration RUN = Duration.ofSeconds(60);
    private static final List<String> FOUNDER_APPS = List.of("ninetail-scheduler", "ninetail-hook", "ninetail-fetch",
            "ninetail-html-scraper", "ninetail-response", Repo.API);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RunningNats nats;
    private static JetStreamProbe probe;
    private static LocalHttpServer site;
    /** Holds the page at {@code /slow} until the test lets it go. */
    private static final CountDownLatch slowPage = new CountDownLatch(1);
    private static ApiClient api;
    private static TestBroker broker;
    private static final Map<String, AppProcess> apps = new LinkedHashMap<>();

    @BeforeAll
    static void startEverything() {
        nats = NatsServerResource.startServer();
        probe = new JetStreamProbe(nats.url());
        site = Founder.site().route("/slow", request -> {
            slowPage.await(60, TimeUnit.SECONDS);
            return LocalHttpServer.Reply.text(200, "text/plain", "late");
        });
        List<Trigger> triggers = Manifests.ofType(Manifests.parse(Repo.path("deploy/knative/base/eventing/triggers.yaml")),
                Trigger.class);
        Map<String, URI> addresses = new ConcurrentHashMap<>();
        broker = new TestBroker(triggers, name -> {
            URI address = addresses.get(name);
            if (address == null) {
                throw new IllegalStateException("a trigger names " + name + ", which is not running");
            }
            return address;
        });
        for (String name : FOUNDER_APPS) {
            App app = Repo.app(name);
            Map<String, String> config = new HashMap<>();
            config.put("quarkus.messaging.nats.connection.servers", nats.url());
            if (app.type().isPresent()) {
                config.put("ninetail.trigger.jetstream.enabled", "false");
            } else if (app.name().equals(Repo.SCHEDULER)) {
                config.put("ninetail.scheduler.knative.enabled", "true");
                config.put("ninetail.scheduler.knative.sink", broker.url());
            } else {
                config.put("ninetail.api.knative.enabled", "true");
                config.put("ninetail.api.knative.sink", broker.url());
            }
            if ("fetch".equals(app.blockType())) {
                config.put("ninetail.fetch.allow-loopback", "true");
            }
            apps.put(name, AppProcess.start(name, app.quarkusApp(), config));
        }
        apps.forEach((name, process) -> {
            process.awaitReady(START);
            addresses.put(name, URI.create(process.url("/")));
        });
        api = new ApiClient(apps.get(Repo.API).url(""), null);
    }

    @AfterAll
    static void stopEverything() {
        slowPage.countDown();
        apps.values().forEach(AppProcess::close);
        if (broker != null) {
            broker.close();
        }
        if (site != null) {
            site.close();
        }
        if (probe != null) {
            probe.close();
        }
        if (nats != null) {
            nats.close();
        }
    }

    @Test
    void foundersWorkflowCalledAtTheApiRunsThroughTheBrokerAndTheFunctionsHttpTriggers() throws Exception {
        Subscription events = probe.subscribe("workflow.>");
        assertEquals(201, api.post("/workflows", Founder.document(site.url("/"))).statusCode());

        HttpResponse<String> answer = api.post("/hooks/test", "");
        assertEquals(200, answer.statusCode(), answer.body());
        Founder.assertScraped(JSON.readTree(answer.body()));
        String runId = answer.headers().firstValue("Ninetail-Run-Id").orElseThrow();

        Map<String, JsonNode> seen = awaitEnd(events, runId);
        JsonNode complete = seen.get("workflow." + runId + ".complete");
        assertTrue(complete != null, "the run completed; its events: " + seen.keySet() + "\n" + broker.deliveries());
        Founder.assertScraped(complete.path("output").path("body"));
        JsonNode response = seen.get("workflow." + runId + ".response");
        assertTrue(response != null, "the response block answered the waiting caller: " + seen.keySet());
        assertEquals(200, response.path("status").asInt(), response.toString());
        Founder.assertScraped(response.path("body"));

        assertEquals(List.of("workflow.start",
                        "block.hook.input", "block.hook.output",
                        "block.fetch.input", "block.fetch.output",
                        "block.html-scraper.input", "block.html-scraper.output",
                        "block.response.input", "block.response.output"),
                broker.received(runId), "every event of the run went through the broker, in this order, the api's start first");
        List<Delivery> deliveries = deliveries(runId);
        assertEquals(new Delivery("workflow.start", runId + ".start", Repo.SCHEDULER, 202, null), deliveries.get(0),
                "the trigger ninetail-scheduler-runs handed the api's start to the scheduler");
        for (Delivery delivery : deliveries) {
            assertEquals(delivery.subscriber().equals(Repo.SCHEDULER) ? 202 : 200, delivery.status(),
                    "delivered at once: " + delivery);
        }
        assertEquals(1, site.requests("/").size(), "fetch fetched the page once");
        // Nothing consumes BLOCK_INPUT here, so an input published there would still be in it.
        assertEquals(0, probe.management().getStreamInfo(Topology.BLOCK_INPUT_STREAM).getStreamState().getMsgCount(),
                "no input went through JetStream");
        assertEquals(List.of(), probe.management().getConsumerNames(Topology.BLOCK_INPUT_STREAM),
                "no function consumes BLOCK_INPUT in Knative mode");

        String stream = api.get("/runs/" + runId + "/events").body();
        assertTrue(stream.indexOf("event:workflow.start") < stream.indexOf("event:workflow.complete")
                        && stream.contains("event:workflow.start"),
                "the api streams the run's events from JetStream, where the scheduler stored the start: " + stream);
    }

    @Test
    void aCancelAtTheApiGoesThroughTheBrokerToTheScheduler() throws Exception {
        assertEquals(201, api.post("/workflows", """
                {"name": "slow", "blocks": [{"id": "page", "type": "fetch", "with": {"url": "%s", "timeout": "PT60S"}}]}
                """.formatted(site.url("/slow"))).statusCode());
        HttpResponse<String> started = api.post("/workflows/slow/runs", "{}");
        assertEquals(202, started.statusCode(), started.body());
        String runId = JSON.readTree(started.body()).path("runId").asText();
        await().atMost(RUN).until(() -> !site.requests("/slow").isEmpty());

        HttpResponse<String> cancelled = api.post("/runs/" + runId + "/cancel?wait=PT30S", "");
        slowPage.countDown();
        assertEquals(200, cancelled.statusCode(), cancelled.body());
        JsonNode run = JSON.readTree(cancelled.body());
        assertEquals("CANCELLED", run.path("status").asText(), run.toString());
        assertEquals("CANCELLED", run.path("blocks").path("page").path("status").asText(), run.toString());
        assertEquals(List.of("workflow.start", "block.fetch.input", "workflow.cancel"), broker.received(runId).subList(0, 3),
                "the api's start and cancel went through the broker");
        assertTrue(deliveries(runId).contains(new Delivery("workflow.cancel", runId + ".cancel", Repo.SCHEDULER, 202, null)),
                deliveries(runId).toString());
    }

    private static List<Delivery> deliveries(String runId) {
        return broker.deliveries().stream().filter(delivery -> delivery.id().startsWith(runId + ".")).toList();
    }

    /** Every event of the run by subject, up to its end (events of other runs are skipped). */
    private static Map<String, JsonNode> awaitEnd(Subscription events, String runId) throws Exception {
        Map<String, JsonNode> seen = new LinkedHashMap<>();
        Instant deadline = Instant.now().plus(RUN);
        List<String> ends = new ArrayList<>();
        for (String end : List.of("complete", "failed", "cancelled")) {
            ends.add("workflow." + runId + "." + end);
        }
        while (true) {
            Duration left = Duration.between(Instant.now(), deadline);
            Message message;
            try {
                message = JetStreamProbe.next(events, left.isNegative() ? Duration.ofMillis(1) : left);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; seen " + seen.keySet() + "; the broker took "
                        + broker.received() + " and delivered " + broker.deliveries(), e);
            }
            if (message.getSubject().startsWith("workflow." + runId + ".")) {
                seen.put(message.getSubject(), JSON.readTree(message.getData()));
            }
            if (ends.contains(message.getSubject())) {
                return seen;
            }
        }
    }
}
