package io.ninetail.deploy;

import io.fabric8.knative.eventing.v1.Broker;
import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.knative.sources.v1.SinkBinding;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.ninetail.deploy.Repo.App;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Kubernetes manifest under deploy/ parses into fabric8's typed Kubernetes and Knative
 * models with no unknown field ({@link StrictModel}), and the pieces fit together: each function's
 * Knative Service and trigger agree with its own configuration, results and run events reach the
 * scheduler, the scheduler and the api can reach the broker, the api alone is public and locked.
 */
class ManifestsTest {

    static List<Path> manifestFiles() {
        return Repo.yamlFiles().stream()
                .filter(file -> !file.getFileName().toString().equals("kustomization.yaml"))
                .filter(file -> !file.getParent().getFileName().toString().equals("patches"))
                .filter(file -> !file.toString().contains("/overlays/"))
                .filter(file -> !file.getFileName().toString().equals(".yamllint"))
                .toList();
    }

    static List<HasMetadata> base() {
        List<HasMetadata> resources = new ArrayList<>();
        for (Path file : manifestFiles()) {
            if (Repo.ROOT.relativize(file).startsWith("deploy/knative/base")) {
                resources.addAll(Manifests.parse(file));
            }
        }
        return resources;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifestFiles")
    void manifestParsesIntoTypedModelsWithNoUnknownField(Path file) {
        List<HasMetadata> resources = Manifests.parse(file);
        assertTrue(!resources.isEmpty(), file + " holds no resource");
        List<String> problems = resources.stream().flatMap(r -> StrictModel.problems(r).stream()).toList();
        assertEquals(List.of(), problems, Repo.ROOT.relativize(file).toString());
    }

    @Test
    void aMisspelledFieldIsCaught() {
        List<HasMetadata> resources = Manifests.parse("""
                apiVersion: serving.knative.dev/v1
                kind: Service
                metadata: {name: x}
                spec:
                  template:
                    spec:
                      containerConcurency: 10
                      containers: [{image: x, readinessProbe: {httpGet: {pathh: /q/health/ready}}}]
                """);
        assertEquals(List.of("Service x: unknown field spec.template.spec.containerConcurency",
                        "Service x: unknown field spec.template.spec.containers[0].readinessProbe.httpGet.pathh"),
                StrictModel.problems(resources.get(0)));
    }

    static List<App> apps() {
        return Repo.APPS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apps")
    void knativeServiceScalesToZeroWithinLimitsAndTakesNatsFromSecrets(App app) {
        Service service = service(app);
        Map<String, String> annotations = service.getSpec().getTemplate().getMetadata().getAnnotations();
        int min = Integer.parseInt(annotations.get("autoscaling.knative.dev/min-scale"));
        int max = Integer.parseInt(annotations.get("autoscaling.knative.dev/max-scale"));
        assertEquals(app.name().equals(Repo.SCHEDULER) ? 1 : 0, min,
                "all scale to zero but the scheduler, whose JetStream consumers no request wakes");
        assertTrue(max >= Math.max(1, min) && max <= 50, "a sensible max-scale: " + max);
        long concurrency = service.getSpec().getTemplate().getSpec().getContainerConcurrency();
        int target = Integer.parseInt(annotations.get("autoscaling.knative.dev/target"));
        assertTrue(concurrency > 0 && target > 0 && target <= concurrency, "target " + target + " within " + concurrency);

        Container container = service.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("/q/health/ready", container.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/live", container.getLivenessProbe().getHttpGet().getPath());
        assertEquals(app.port(), container.getPorts().get(0).getContainerPort(), "the app's own port");
        assertTrue(container.getResources().getRequests().containsKey("cpu"), "cpu request");
        assertTrue(container.getResources().getRequests().containsKey("memory"), "memory request");
        assertTrue(container.getResources().getLimits().containsKey("memory"), "memory limit");
        assertEquals("ninetail/" + app.name() + ":0.1.0-SNAPSHOT", container.getImage());

        assertEquals(Optional.of("ninetail-nats/url"), secretRef(container, "QUARKUS_MESSAGING_NATS_CONNECTION_SERVERS"));
        assertEquals(Optional.of(app.name() + "-nats/username"), secretRef(container, "QUARKUS_MESSAGING_NATS_CONNECTION_USERNAME"));
        assertEquals(Optional.of(app.name() + "-nats/password"), secretRef(container, "QUARKUS_MESSAGING_NATS_CONNECTION_PASSWORD"));
        assertEquals(Optional.of("true"), env(container, "QUARKUS_MESSAGING_NATS_CONNECTION_SSL_ENABLED"));
        assertEquals(Optional.of("ninetail-nats-ca"), service.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getSecret() != null).map(v -> v.getSecret().getSecretName()).findFirst());
        assertTrue(container.getEnvFrom().stream().anyMatch(e -> e.getConfigMapRef() != null
                && "ninetail-config".equals(e.getConfigMapRef().getName())), "deployment-wide settings");
        if (app.type().isPresent()) {
            assertEquals(Optional.of("false"), env(container, "NINETAIL_TRIGGER_JETSTREAM_ENABLED"),
                    "in Knative mode the broker is a function's only trigger");
        } else {
            assertEquals(Optional.of("true"), env(container, KNATIVE_MODE.get(app.name())), "Knative mode");
        }
        assertEquals(app.name().equals(Repo.API) ? null : "cluster-local",
                service.getMetadata().getLabels().get("networking.knative.dev/visibility"),
                "only the api is reachable from outside the cluster");
    }

    /** The apps that publish into the broker in Knative mode, and the variable that turns it on. */
    private static final Map<String, String> KNATIVE_MODE = Map.of(
            Repo.SCHEDULER, "NINETAIL_SCHEDULER_KNATIVE_ENABLED",
            Repo.API, "NINETAIL_API_KNATIVE_ENABLED");

    @Test
    void theApiTakesItsKeysFromASecretItCannotStartWithout() {
        // Knative's queue-proxy calls the app from 127.0.0.1: without keys, the api's loopback-only
        // mode would let every caller in.
        Container container = service(Repo.app(Repo.API)).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(Optional.of("ninetail-workflow-api-keys/keys"), secretRef(container, "NINETAIL_API_KEYS"));
        EnvVar keys = container.getEnv().stream().filter(e -> e.getName().equals("NINETAIL_API_KEYS")).findFirst().orElseThrow();
        assertNotEquals(Boolean.TRUE, keys.getValueFrom().getSecretKeyRef().getOptional(), "not optional");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void eachFunctionHasOneTriggerForTheTypeItsFunqyMappingAnswers(App app) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(app.dir().resolve("src/main/resources/application.properties"))));
        String mapped = properties.getProperty("quarkus.funqy.knative-events.mapping.block.trigger");
        assertEquals("block." + app.blockType() + ".input", mapped, "the function answers its own inputs");

        List<Trigger> triggers = triggers().stream()
                .filter(t -> app.name().equals(t.getSpec().getSubscriber().getRef().getName())).toList();
        assertEquals(1, triggers.size(), "one trigger delivers to " + app.name());
        Trigger trigger = triggers.get(0);
        assertEquals(Map.of("type", mapped), trigger.getSpec().getFilter().getAttributes());
        assertEquals("serving.knative.dev/v1", trigger.getSpec().getSubscriber().getRef().getApiVersion());
        assertEquals("Service", trigger.getSpec().getSubscriber().getRef().getKind());
    }

    static List<App> functions() {
        return Repo.FUNCTIONS;
    }

    @Test
    void everyResultAndRunEventReachesTheSchedulerAndNothingElseDoes() {
        Set<String> expected = new TreeSet<>();
        Repo.FUNCTIONS.forEach(app -> {
            expected.add("block." + app.blockType() + ".output");
            expected.add("block." + app.blockType() + ".error");
        });
        expected.add("workflow.start");
        expected.add("workflow.cancel");
        Set<String> toScheduler = new TreeSet<>();
        for (Trigger trigger : triggers()) {
            assertNotEquals(Repo.API, trigger.getSpec().getSubscriber().getRef().getName(),
                    "the api takes nothing from the broker: it reads run events from NATS");
            if (!Repo.SCHEDULER.equals(trigger.getSpec().getSubscriber().getRef().getName())) {
                continue;
            }
            assertTrue(trigger.getSpec().getFilter() == null || trigger.getSpec().getFilter().getAttributes().isEmpty(),
                    "one kind of filter per trigger");
            trigger.getSpec().getFilters().forEach(filter -> filter.getAny().forEach(any -> {
                assertEquals(Set.of("type"), any.getExact().keySet());
                assertTrue(toScheduler.add(any.getExact().get("type")), "listed once: " + any.getExact());
            }));
        }
        assertEquals(expected, toScheduler);
    }

    @Test
    void triggersAndBindingPointAtTheBrokerAndAtServicesThatExist() {
        List<HasMetadata> base = base();
        List<Broker> brokers = Manifests.ofType(base, Broker.class);
        assertEquals(1, brokers.size());
        Broker broker = brokers.get(0);
        assertEquals("MTChannelBasedBroker", broker.getMetadata().getAnnotations().get("eventing.knative.dev/broker.class"));
        Set<String> services = Manifests.ofType(base, Service.class).stream().map(s -> s.getMetadata().getName())
                .collect(Collectors.toSet());
        assertEquals(Repo.APPS.stream().map(App::name).collect(Collectors.toSet()), services);
        for (Trigger trigger : triggers()) {
            assertEquals(broker.getMetadata().getName(), trigger.getSpec().getBroker(), trigger.getMetadata().getName());
            assertTrue(services.contains(trigger.getSpec().getSubscriber().getRef().getName()), trigger.getMetadata().getName());
        }
        Set<String> bound = new TreeSet<>();
        for (SinkBinding binding : Manifests.ofType(base, SinkBinding.class)) {
            assertEquals("Service", binding.getSpec().getSubject().getKind());
            assertTrue(services.contains(binding.getSpec().getSubject().getName()), binding.getMetadata().getName());
            assertEquals("Broker", binding.getSpec().getSink().getRef().getKind());
            assertEquals(broker.getMetadata().getName(), binding.getSpec().getSink().getRef().getName());
            assertTrue(bound.add(binding.getSpec().getSubject().getName()), "one binding per app");
        }
        assertEquals(new TreeSet<>(KNATIVE_MODE.keySet()), bound, "every app that publishes into the broker gets K_SINK");
        assertEquals("ninetail-broker-channel", broker.getSpec().getConfig().getName());
    }

    private static List<Trigger> triggers() {
        return Manifests.ofType(base(), Trigger.class);
    }

    private static Service service(App app) {
        return Manifests.ofType(Manifests.parse(app.checkedInManifest()), Service.class).get(0);
    }

    private static Optional<String> env(Container container, String name) {
        return container.getEnv().stream().filter(e -> name.equals(e.getName())).map(EnvVar::getValue).findFirst();
    }

    private static Optional<String> secretRef(Container container, String name) {
        return container.getEnv().stream().filter(e -> name.equals(e.getName()))
                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .map(e -> e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey())
                .findFirst();
    }
}
