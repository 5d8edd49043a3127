package io.ninetail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.ninetail.core.event.Event;
import io.ninetail.core.event.NatsEventCodec;
import io.ninetail.core.nats.Topology;
import io.ninetail.deploy.Repo.App;
import io.ninetail.testing.AppProcess;
import io.ninetail.testing.JetStreamProbe;
import io.ninetail.testing.LocalHttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Production NATS, locally: the 3-node JetStream cluster of deploy/nats (cluster.conf and
 * accounts.conf as checked in, TLS with certificates made here), and the packaged apps connecting
 * to it each as its own user, over TLS, with exactly the environment their Knative Service gives
 * them (Secrets and the CA mount filled in), in JetStream mode. The founder's workflow runs, also
 * through the api's webhook; the streams are replicated 3 times; a wrong password, a client without
 * TLS, a function or the api reaching past its permissions are all refused, and no app is refused
 * anything it does.
 */
class NatsClusterIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CA_MOUNT = "/etc/ninetail/nats-ca/";
    private static final String API_KEY = "nats-cluster-it-key";
    /** The name of this test's own NATS connections, whose refusals are the point (the apps' are bugs). */
    private static final String TEST_CLIENT = "nats-cluster-it";
    /** Over 2 MiB, where reading the object store needs its flow control answered. */
    private static final String LARGE_PAGE = "nine tails ".repeat(300_000);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestCertificates tls;
    private static NatsCluster nats;
    private static LocalHttpServer site;
    private static Map<String, String> deploymentConfig;
    private static final Map<String, AppProcess> apps = new LinkedHashMap<>();

    @BeforeAll
    static void startClusterAndApps() {
        tls = TestCertificates.create();
        nats = new NatsCluster(tls, 3).awaitReady(START);
        site = Founder.site().route("/large", request -> LocalHttpServer.Reply.text(200, "text/plain", LARGE_PAGE));
        deploymentConfig = Manifests.ofType(Manifests.parse(Tools.kustomize("deploy/knative/base")), ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals("ninetail-config")).findFirst().orElseThrow().getData();
        // The scheduler alone may create streams and buckets: it starts first.
        apps.put("ninetail-scheduler", start(Repo.app("ninetail-scheduler"), NatsCluster.password("ninetail-scheduler"))
                .awaitReady(START));
        for (String name : List.of("ninetail-hook", "ninetail-fetch", "ninetail-html-scraper", "ninetail-response", Repo.API)) {
            apps.put(name, start(Repo.app(name), NatsCluster.password(name)));
        }
        apps.values().forEach(app -> app.awaitReady(START));
    }

    @AfterAll
    static void stopEverything() {
        apps.values().forEach(AppProcess::close);
        if (site != null) {
            site.close();
        }
        if (nats != null) {
            nats.close();
        }
    }

    /** The app with its Knative Service's environment, in JetStream mode, as NATS user {@code app.name()}. */
    private static AppProcess start(App app, String password) {
        return start(app, password, Map.of());
    }

    private static AppProcess start(App app, String password, Map<String, String> extra) {
        Service service = Manifests.ofType(Manifests.parse(app.checkedInManifest()), Service.class).get(0);
        Container container = service.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> environment = new HashMap<>(deploymentConfig);
        for (EnvVar variable : container.getEnv()) {
            String value = variable.getValue();
            if (variable.getValueFrom() != null) {
                var secret = variable.getValueFrom().getSecretKeyRef();
                String ref = secret.getName() + "/" + secret.getKey();
                value = switch (ref.substring(ref.indexOf('/') + 1)) {
                    case "url" -> nats.urls();
                    case "username" -> app.name();
                    case "password" -> password;
                    case "keys" -> API_KEY;
                    default -> throw new AssertionError("unexpected secret " + ref);
                };
            } else if (value.startsWith(CA_MOUNT)) {
                value = tls.dir.resolve(value.substring(CA_MOUNT.length())).toString();
            }
            environment.put(variable.getName(), value);
        }
        Map<String, String> properties = new HashMap<>();
        // JetStream mode: the durable consumers, not the broker (system properties win over the environment).
        properties.put("ninetail.trigger.jetstream.enabled", "true");
        properties.put("ninetail.scheduler.knative.enabled", "false");
        properties.put("ninetail.api.knative.enabled", "false");
        properties.put("ninetail.fetch.allow-loopback", "true");
        properties.putAll(extra);
        return AppProcess.start(app.name(), app.quarkusApp(), properties, environment);
    }

    private static Connection connect(String user, String password, List<String> errors) throws Exception {
        Options.Builder options = Options.builder().server(nats.url(0)).sslContext(tls.clientContext())
                .userInfo(user, password).connectionName(TEST_CLIENT)
                .connectionTimeout(Duration.ofSeconds(3)).maxReconnects(0);
        if (errors != null) {
            options.errorListener(new ErrorListener() {
                @Override
                public void errorOccurred(Connection connection, String error) {
                    errors.add(error);
                }
            });
        }
        return Nats.connect(options.build());
    }

    @Test
    void everyStreamAndBucketIsReplicatedOnTheThreeServers() throws Exception {
        try (Connection api = connect("ninetail-workflow-api", NatsCluster.password("ninetail-workflow-api"), null)) {
            JetStreamManagement jsm = api.jetStreamManagement();
            for (String stream : List.of(Topology.WORKFLOW_STREAM, Topology.BLOCK_INPUT_STREAM, Topology.BLOCK_RESULT_STREAM,
                    "SCHEDULER_TIMERS", "KV_" + Topology.RUNS_BUCKET, "KV_" + Topology.WORKFLOWS_BUCKET,
                    "OBJ_" + Topology.PAYLOADS_STORE)) {
                StreamInfo info = jsm.getStreamInfo(stream);
                assertEquals(3, info.getConfiguration().getReplicas(), stream);
                assertEquals(2, info.getClusterInfo().getReplicas().size(), stream + " has two followers");
            }
        }
    }

    @Test
    void foundersWorkflowRunsWithEveryComponentItsOwnUserOverTls() throws Exception {
        String runId = "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection api = connect("ninetail-workflow-api", NatsCluster.password("ninetail-workflow-api"), null)) {
            Subscription events = api.subscribe("workflow." + runId + ".>");
            api.flush(Duration.ofSeconds(5));
            Event start = new Event(runId + ".start", "/test/api", "workflow.start", OffsetDateTime.now(ZoneOffset.UTC),
                    runId, null, 1, Founder.start(site.url("/")));
            api.jetStream().publish("workflow." + runId + ".start", NatsEventCodec.headers(start), start.data());

            Map<String, JsonNode> seen = new LinkedHashMap<>();
            Instant deadline = Instant.now().plus(WAIT);
            while (!seen.containsKey("workflow." + runId + ".complete") && !seen.containsKey("workflow." + runId + ".failed")) {
                Duration left = Duration.between(Instant.now(), deadline);
                Message message = JetStreamProbe.next(events, left.isNegative() ? Duration.ofMillis(1) : left);
                seen.put(message.getSubject(), JSON.readTree(message.getData()));
            }
            JsonNode complete = seen.get("workflow." + runId + ".complete");
            assertTrue(complete != null, "the run completed: " + seen);
            Founder.assertScraped(complete.path("output").path("body"));
            Founder.assertScraped(seen.get("workflow." + runId + ".response").path("body"));
        }
    }

    @Test
    void theApiServesWorkflowsRunsAndWebhooksAsItsOwnUserAndNoAppIsRefusedAnything() throws Exception {
        ApiClient api = new ApiClient(apps.get(Repo.API).url(""), API_KEY);
        assertEquals(201, api.post("/workflows", Founder.document(site.url("/"))).statusCode());
        HttpResponse<String> hook = api.post("/hooks/test", "");
        assertEquals(200, hook.statusCode(), hook.body());
        Founder.assertScraped(JSON.readTree(hook.body()));
        String runId = hook.headers().firstValue("Ninetail-Run-Id").orElseThrow();

        HttpResponse<String> waited = api.post("/workflows/test/runs?wait=PT30S", "{}");
        assertEquals("COMPLETED", JSON.readTree(waited.body()).path("status").asText(), waited.body());
        assertTrue(api.get("/workflows").body().contains("\"name\":\"test\""), "the workflows bucket's keys");
        assertTrue(api.get("/runs?workflow=test").body().contains(runId), "the runs bucket's keys");
        String events = api.get("/runs/" + runId + "/events").body();
        assertTrue(events.contains("event:workflow.start") && events.contains("event:workflow.complete"),
                "an ordered consumer on WORKFLOW: " + events);
        assertEquals(409, api.post("/runs/" + runId + "/cancel", "").statusCode());

        assertEquals(201, api.post("/workflows", """
                {"name": "large", "blocks": [
                  {"id": "in", "type": "hook", "with": {"path": "large"}},
                  {"id": "page", "type": "fetch", "needs": ["in"], "with": {"url": "%s"}},
                  {"id": "reply", "type": "response", "needs": ["page"],
                   "with": {"headers": {"content-type": "text/plain"}, "body": "${ .page.body }"}}]}
                """.formatted(site.url("/large"))).statusCode());
        HttpResponse<String> large = api.post("/hooks/large", "");
        assertEquals(200, large.statusCode(), large.body().length() > 500 ? large.body().substring(0, 500) : large.body());
        assertEquals(LARGE_PAGE, large.body(), "the page went through the payload store");
        String largeRun = large.headers().firstValue("Ninetail-Run-Id").orElseThrow();
        HttpResponse<String> waitedLarge = api.post("/workflows/large/runs?wait=PT30S", "{}");
        String excerpt = waitedLarge.statusCode() + " " + (waitedLarge.body().length() > 2000
                ? waitedLarge.body().substring(0, 2000) : waitedLarge.body());
        JsonNode shown = JSON.readTree(waitedLarge.body());
        if (!"COMPLETED".equals(shown.path("status").asText())) {
            excerpt += diagnosis(api, shown.path("runId").asText());
        }
        assertEquals("COMPLETED", shown.path("status").asText(), excerpt);
        assertTrue(shown.path("blocks").path("page").path("outputRef").asText().startsWith("nats-stream:BLOCK_RESULT/"),
                "the api read the page's result message to size it: " + excerpt);
        assertEquals(200, api.get("/runs/" + largeRun).statusCode());

        List<String> refused = new ArrayList<>();
        for (int server = 0; server < 3; server++) {
            nats.log(server).lines().filter(line -> line.contains("Publish Violation") || line.contains("Subscription Violation"))
                    .filter(line -> !line.contains(":" + TEST_CLIENT + "\"")).forEach(refused::add);
        }
        assertEquals(List.of(), refused, "the apps stay within their permissions (deploy/nats/accounts.conf)");
    }

    /** What a run that should have ended looks like a moment later, and what the api and the scheduler said. */
    private static String diagnosis(ApiClient api, String runId) {
        String record;
        try {
            record = api.get("/runs/" + runId).body().replaceAll("(?s)(.{800}).*", "$1…");
        } catch (Exception e) {
            record = "(not read: " + e + ")";
        }
        String events;
        try {
            events = api.get("/runs/" + runId + "/events").body().lines().filter(line -> line.startsWith("event:"))
                    .toList().toString();
        } catch (Exception e) {
            events = "(none in time: " + e + ")";
        }
        return "\nthe run read again: " + record + "\nits events: " + events
                + "\nthe api's warnings: " + warnings(Repo.API) + "\nthe scheduler's warnings: " + warnings(Repo.SCHEDULER);
    }

    private static List<String> warnings(String app) {
        return apps.get(app).logText().lines().filter(line -> line.contains("WARN") || line.contains("ERROR")).toList();
    }

    @Test
    void theApiCannotActForTheSchedulerOrTheFunctions() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        try (Connection api = connect(Repo.API, NatsCluster.password(Repo.API), errors)) {
            byte[] nothing = "{}".getBytes(StandardCharsets.UTF_8);
            api.publish("block.fetch.r-x.page.input", nothing);
            api.publish("block.fetch.r-x.page.output", nothing);
            api.publish("workflow.r-x.complete", nothing);
            api.publish("workflow.r-x.response", nothing);
            api.publish("$JS.API.CONSUMER.MSG.NEXT.WORKFLOW.scheduler-start", nothing);
            api.publish("$O.payloads.M.x", nothing);
            api.subscribe("block.>");
            JetStreamManagement jsm = api.jetStreamManagement(JetStreamOptions.builder()
                    .requestTimeout(Duration.ofMillis(500)).build());
            assertThrows(Exception.class, () -> jsm.addOrUpdateConsumer(Topology.WORKFLOW_STREAM, ConsumerConfiguration.builder()
                    .durable("scheduler-start").filterSubject("workflow.*.start").build()));
            assertThrows(Exception.class, () -> jsm.deleteConsumer(Topology.WORKFLOW_STREAM, "scheduler-start"));
            assertThrows(Exception.class, () -> jsm.purgeStream(Topology.WORKFLOW_STREAM));
            await().atMost(WAIT).until(() -> errors.size() >= 10);
            String all = String.join("\n", errors);
            for (String subject : List.of("block.fetch.r-x.page.input", "block.fetch.r-x.page.output", "workflow.r-x.complete",
                    "workflow.r-x.response", "$JS.API.CONSUMER.MSG.NEXT.WORKFLOW.scheduler-start", "$O.payloads.M.x",
                    "$JS.API.CONSUMER.CREATE.WORKFLOW.scheduler-start", "$JS.API.CONSUMER.DELETE.WORKFLOW.scheduler-start",
                    "$JS.API.STREAM.PURGE.WORKFLOW")) {
                assertTrue(all.contains("Permissions Violation for Publish to \"" + subject), subject + " in " + all);
            }
            assertTrue(all.contains("Permissions Violation for Subscription to \"block.>\""), all);
        }
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        Exception refused = assertThrows(Exception.class, () -> connect("ninetail-fetch", "not-the-password", null).close());
        assertTrue(String.valueOf(refused.getMessage()).contains("Authorization Violation"), refused.toString());

        // jnats waits out the connection timeout after the refusal, once per server: 2 s, not the apps' 10.
        AppProcess impostor = start(Repo.app("ninetail-fetch"), "not-the-password",
                Map.of("quarkus.messaging.nats.connection.connection-attempts", "1",
                        "quarkus.messaging.nats.connection.connection-timeout", "PT2S"));
        try {
            assertTrue(impostor.awaitExit(START) != 0, "an app whose password is wrong does not start");
            assertTrue(impostor.logText().contains("Authorization Violation"), impostor.logText());
        } finally {
            impostor.close();
        }
    }

    @Test
    void aClientWithoutTlsIsRefused() {
        String plain = nats.url(0).replace("tls://", "nats://");
        assertThrows(Exception.class, () -> Nats.connect(Options.builder().server(plain).userInfo("ninetail-fetch",
                NatsCluster.password("ninetail-fetch")).connectionTimeout(Duration.ofSeconds(3)).maxReconnects(0)
                .noRandomize().build()).close());
    }

    @Test
    void aFunctionTakesOnlyItsOwnInputsAndPublishesOnlyItsOwnResults() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        try (Connection fetch = connect("ninetail-fetch", NatsCluster.password("ninetail-fetch"), errors)) {
            fetch.publish("block.hook.r-x.trigger.output", "{}".getBytes(StandardCharsets.UTF_8));
            fetch.publish("block.fetch.r-x.page.input", "{}".getBytes(StandardCharsets.UTF_8));
            fetch.publish("workflow.r-x.complete", "{}".getBytes(StandardCharsets.UTF_8));
            fetch.subscribe("block.>");
            // A denied request is never answered: do not wait long for it.
            JetStreamManagement jsm = fetch.jetStreamManagement(JetStreamOptions.builder()
                    .requestTimeout(Duration.ofMillis(500)).build());
            assertThrows(Exception.class, () -> jsm.addOrUpdateConsumer(Topology.BLOCK_INPUT_STREAM, ConsumerConfiguration.builder()
                    .durable(Topology.blockConsumer("hook")).filterSubject("block.hook.*.*.input").build()));
            assertThrows(Exception.class, () -> jsm.addOrUpdateConsumer(Topology.BLOCK_INPUT_STREAM, ConsumerConfiguration.builder()
                    .durable(Topology.blockConsumer("fetch")).filterSubject("block.hook.*.*.input").build()),
                    "its own consumer cannot be re-pointed at another type's inputs");
            await().atMost(WAIT).until(() -> errors.size() >= 6);
            String all = String.join("\n", errors);
            assertTrue(all.contains("Permissions Violation for Publish to \"block.hook.r-x.trigger.output\""), all);
            assertTrue(all.contains("Permissions Violation for Publish to \"block.fetch.r-x.page.input\""), all);
            assertTrue(all.contains("Permissions Violation for Publish to \"workflow.r-x.complete\""), all);
            assertTrue(all.contains("Permissions Violation for Subscription to \"block.>\""), all);
            assertTrue(all.contains("$JS.API.CONSUMER.CREATE.BLOCK_INPUT.block-hook"), all);
            assertTrue(all.contains("$JS.API.CONSUMER.CREATE.BLOCK_INPUT.block-fetch.block.hook"), all);
        }
    }

    @Test
    void knativeEventingHasItsOwnAccountAndSeesNoneOfNinetailsStreams() throws Exception {
        try (Connection eventing = connect("knative-eventing", NatsCluster.password("knative-eventing"), null)) {
            JetStreamManagement jsm = eventing.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("KN_NINETAIL__NINETAIL_KNE_TRIGGER")
                    .subjects("ninetail.ninetail-kne-trigger._knative").replicas(3).build());
            List<String> streams = jsm.getStreamNames();
            assertEquals(List.of("KN_NINETAIL__NINETAIL_KNE_TRIGGER"), streams);
            assertFalse(streams.contains(Topology.WORKFLOW_STREAM));
        }
    }
}
