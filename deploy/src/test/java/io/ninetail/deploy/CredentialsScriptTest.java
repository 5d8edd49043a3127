package io.ninetail.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.knative.serving.v1.Service;
import io.ninetail.deploy.Repo.App;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/nats/credentials.sh makes exactly the Secrets both sides need: every password
 * accounts.conf reads from the servers' environment, and for every app the Secrets its Knative
 * Service reads, with the same password on both sides (and the api's key).
 */
class CredentialsScriptTest {

    @Test
    void scriptMakesTheSecretsOfTheServersAndOfEveryApp() {
        String yaml = Tools.run(Repo.ROOT, Map.of(), "bash", Repo.path("deploy/nats/credentials.sh").toString(), "ninetail-test")
                .assertSuccess("credentials.sh").output();
        List<HasMetadata> resources = Manifests.parse(yaml);
        assertEquals(List.of(), resources.stream().flatMap(r -> StrictModel.problems(r).stream()).toList());
        Map<String, Secret> secrets = Manifests.ofType(resources, Secret.class).stream()
                .collect(Collectors.toMap(s -> s.getMetadata().getName(), Function.identity()));

        Secret servers = secrets.get("nats-users");
        assertEquals("ninetail-nats", servers.getMetadata().getNamespace());
        Set<String> referenced = new TreeSet<>();
        Matcher variable = Pattern.compile("password: \\$([A-Z_]+)").matcher(Repo.read(Repo.path("deploy/nats/accounts.conf")));
        while (variable.find()) {
            referenced.add(variable.group(1));
        }
        assertEquals(referenced, new TreeSet<>(servers.getStringData().keySet()), "every password accounts.conf reads");
        assertEquals(servers.getStringData().size(), Set.copyOf(servers.getStringData().values()).size(), "all different");

        assertEquals("tls://nats.ninetail-nats.svc.cluster.local:4222", secrets.get("ninetail-nats").getStringData().get("url"));
        for (App app : Repo.APPS) {
            Service service = Manifests.ofType(Manifests.parse(app.checkedInManifest()), Service.class).get(0);
            Set<String> read = service.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                    .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                    .map(e -> e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey())
                    .collect(Collectors.toSet());
            for (String ref : read) {
                Secret secret = secrets.get(ref.substring(0, ref.indexOf('/')));
                assertTrue(secret != null && secret.getStringData().containsKey(ref.substring(ref.indexOf('/') + 1)),
                        app.name() + " reads " + ref);
                assertEquals("ninetail-test", secret.getMetadata().getNamespace());
            }
            Map<String, String> own = secrets.get(app.name() + "-nats").getStringData();
            assertEquals(app.name(), own.get("username"));
            String variableName = app.name().toUpperCase().replace('-', '_') + "_PASSWORD";
            assertEquals(servers.getStringData().get(variableName), own.get("password"), "the same password on both sides");
            assertNotEquals("", own.get("password"));
        }
        String apiKey = secrets.get("ninetail-workflow-api-keys").getStringData().get("keys");
        assertTrue(apiKey.matches("[A-Za-z0-9]{32}"), "the api's first key: " + apiKey);
        assertFalse(servers.getStringData().containsValue(apiKey), "a secret of its own");
    }
}
