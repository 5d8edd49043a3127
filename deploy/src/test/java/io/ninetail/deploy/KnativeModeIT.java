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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Knative mode without a cluster: the packaged scheduler and functions run as processes with
 * only their HTTP CloudEvents triggers (the functions' JetStream trigger off, the scheduler
 * sending inputs to its sink), and {@link TestBroker} plays the broker with the checked-in
 * triggers of deploy/knative/base/eventing. The founder's workflow runs end to end through it.
 */
class KnativeModeIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration RUN = Duration.ofSeconds(60);
    private static final List<String> FOUNDER_APPS = List.of("ninetail-scheduler", "ninetail-hook", "ninetail-fetch",
            "ninetail-html-scraper", "ninetail-response");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RunningNats nats;
    private static JetStreamProbe probe;
    private static LocalHttpServer site;
    private static TestBroker broker;
    private static final Map<String, AppProcess> apps = new LinkedHashMap<>();

    @BeforeAll
    static void startEverything() {
        nats = NatsServerResource.startServer();
        probe = new JetStreamProbe(nats.url());
        site = Founder.site();
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
            } else {
                config.put("ninetail.scheduler.knative.enabled", "true");
                config.put("ninetail.scheduler.knative.sink", broker.url());
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
    }

    @AfterAll
    static void stopEverything() {
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
    void foundersWorkflowRunsThroughTheBrokerAndTheFunctionsHttpTriggers() throws Exception {
        String runId = "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Subscription events = probe.subscribe("workflow." + runId + ".>");

        HttpResponse<String> accepted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(broker.url()))
                .header("ce-specversion", "1.0")
                .header("ce-id", runId + ".start")
                .header("ce-source", "/test/api")
                .header("ce-type", "workflow.start")
                .header("ce-runid", runId)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Founder.start(site.url("/"))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode());

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
                broker.received(), "every event of the run went through the broker, in this order");
        for (Delivery delivery : broker.deliveries()) {
            assertEquals(delivery.subscriber().equals("ninetail-scheduler") ? 202 : 200, delivery.status(),
                    "delivered at once: " + delivery);
        }
        assertEquals(1, site.requests("/").size(), "fetch fetched the page once");
        assertEquals(0, probe.messagesOn(Topology.BLOCK_INPUT_STREAM, "block.*." + runId + ".*.input"),
                "no input went through JetStream");
        assertEquals(List.of(), probe.management().getConsumerNames(Topology.BLOCK_INPUT_STREAM),
                "no function consumes BLOCK_INPUT in Knative mode");
    }

    /** Every event of the run by subject, up to its end. */
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
            seen.put(message.getSubject(), JSON.readTree(message.getData()));
            if (ends.contains(message.getSubject())) {
                return seen;
            }
        }
    }
}
