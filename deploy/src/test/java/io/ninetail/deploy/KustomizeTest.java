package io.ninetail.deploy;

import io.fabric8.knative.serving.v1.Service;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each overlay renders with {@code kubectl kustomize} (offline: no cluster is asked), and what it
 * renders is what {@code kubectl apply -k} would send: typed, no unknown field, in its namespace,
 * with its images.
 */
class KustomizeTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"deploy/knative/overlays/dev", "deploy/knative/overlays/prod", "deploy/nats"})
    void overlayRendersIntoStrictlyTypedResources(String directory) {
        List<HasMetadata> rendered = Manifests.parse(Tools.kustomize(directory));
        assertTrue(rendered.size() >= 5, directory + " renders " + rendered.size() + " resources");
        assertEquals(List.of(), rendered.stream().flatMap(r -> StrictModel.problems(r).stream()).toList(), directory);
    }

    @Test
    void devRunsInItsNamespaceOnOneNatsServerWithLocalImages() {
        List<HasMetadata> rendered = Manifests.parse(Tools.kustomize("deploy/knative/overlays/dev"));
        assertTrue(rendered.stream().allMatch(r -> "ninetail-dev".equals(r.getMetadata().getNamespace())));
        assertEquals("1", config(rendered).getData().get("NINETAIL_REPLICAS"));
        for (Service service : Manifests.ofType(rendered, Service.class)) {
            String image = service.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
            assertEquals("localhost:5001/ninetail/" + service.getMetadata().getName() + ":dev", image);
            assertEquals("2", service.getSpec().getTemplate().getMetadata().getAnnotations().get("autoscaling.knative.dev/max-scale"));
            assertEquals(Boolean.TRUE, service.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext()
                    .getRunAsNonRoot(), "the security patch applies");
        }
        assertTrue(channelTemplate(rendered).contains("replicas: 1"), "the broker's stream on one server");
    }

    @Test
    void prodRunsReleasedImagesOnTheThreeNodeCluster() {
        List<HasMetadata> rendered = Manifests.parse(Tools.kustomize("deploy/knative/overlays/prod"));
        assertTrue(rendered.stream().allMatch(r -> "ninetail".equals(r.getMetadata().getNamespace())));
        assertEquals("3", config(rendered).getData().get("NINETAIL_REPLICAS"));
        for (Service service : Manifests.ofType(rendered, Service.class)) {
            var container = service.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertEquals("registry.example.com/ninetail/" + service.getMetadata().getName() + ":0.1.0", container.getImage());
            assertEquals(185L, container.getSecurityContext().getRunAsUser());
            assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
            Map<String, String> annotations = service.getSpec().getTemplate().getMetadata().getAnnotations();
            String minScale = annotations.get("autoscaling.knative.dev/min-scale");
            switch (service.getMetadata().getName()) {
                case Repo.SCHEDULER -> assertEquals("2", minScale, "a restart of one scheduler never pauses runs");
                case Repo.API -> assertEquals("1", minScale, "the public entry point never starts cold");
                default -> assertEquals("0", minScale, service.getMetadata().getName());
            }
        }
        assertEquals(Repo.APPS.size(), Manifests.ofType(rendered, Service.class).size(), "every app");
        assertTrue(channelTemplate(rendered).contains("replicas: 3"));
    }

    @Test
    void natsIsAThreeNodeStatefulSetWithItsConfigurationFromTheCheckedInFiles() {
        List<HasMetadata> rendered = Manifests.parse(Tools.kustomize("deploy/nats"));
        StatefulSet nats = Manifests.ofType(rendered, StatefulSet.class).get(0);
        assertEquals(3, nats.getSpec().getReplicas());
        ConfigMap config = Manifests.ofType(rendered, ConfigMap.class).get(0);
        assertEquals(Repo.read(Repo.path("deploy/nats/cluster.conf")), config.getData().get("cluster.conf"));
        assertEquals(Repo.read(Repo.path("deploy/nats/accounts.conf")), config.getData().get("accounts.conf"));
        assertEquals(config.getMetadata().getName(), nats.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getConfigMap() != null).findFirst().orElseThrow().getConfigMap().getName(),
                "the StatefulSet mounts the generated ConfigMap (its name carries the content hash)");
    }

    private static ConfigMap config(List<HasMetadata> rendered) {
        return Manifests.ofType(rendered, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals("ninetail-config")).findFirst().orElseThrow();
    }

    static String channelTemplate(List<HasMetadata> rendered) {
        return Manifests.ofType(rendered, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals("ninetail-broker-channel")).findFirst().orElseThrow()
                .getData().get("channel-template-spec");
    }
}
