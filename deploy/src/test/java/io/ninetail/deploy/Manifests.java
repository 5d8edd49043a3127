package io.ninetail.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Reads manifests into fabric8's typed Kubernetes and Knative models. */
final class Manifests {

    private Manifests() {
    }

    /** Every document of a YAML file (or a kustomize build), each as its typed resource. */
    static List<HasMetadata> parse(String yaml) {
        Object parsed = Serialization.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        List<HasMetadata> resources = new ArrayList<>();
        if (parsed instanceof Collection<?> many) {
            many.forEach(item -> resources.add(typed(item)));
        } else if (parsed instanceof io.fabric8.kubernetes.api.model.KubernetesList list) {
            resources.addAll(list.getItems());
        } else {
            resources.add(typed(parsed));
        }
        return resources;
    }

    static List<HasMetadata> parse(Path file) {
        return parse(Repo.read(file));
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> List<T> ofType(List<HasMetadata> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(r -> (T) r).toList();
    }

    private static HasMetadata typed(Object item) {
        if (item instanceof HasMetadata resource) {
            return resource;
        }
        throw new AssertionError("not a Kubernetes resource: " + item);
    }

    static boolean isGeneric(KubernetesResource resource) {
        return resource instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource;
    }
}
