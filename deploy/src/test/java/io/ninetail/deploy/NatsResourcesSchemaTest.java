package io.ninetail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * eventing-natss' resources have no typed model: the project's own JSON Schemas
 * (deploy/knative/schemas/, from eventing-natss' CRD and documentation) check the
 * NatsJetStreamChannel every broker channel is made from, and the dispatcher's NATS
 * configuration, as they are in the base and as each overlay renders them.
 */
class NatsResourcesSchemaTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"deploy/knative/overlays/dev", "deploy/knative/overlays/prod"})
    void theBrokersChannelIsAValidNatsJetStreamChannel(String overlay) throws IOException {
        String template = KustomizeTest.channelTemplate(Manifests.parse(Tools.kustomize(overlay)));
        assertEquals(List.of(), errors("natsjetstreamchannel", YAML.readTree(template)), overlay);
    }

    @Test
    void theBaseChannelTemplateIsValidAndReplicated() throws IOException {
        List<HasMetadata> base = Manifests.parse(Repo.path("deploy/knative/base/eventing/broker.yaml"));
        JsonNode channel = YAML.readTree(KustomizeTest.channelTemplate(base));
        assertEquals(List.of(), errors("natsjetstreamchannel", channel));
        assertEquals(3, channel.at("/spec/stream/config/replicas").asInt());
        assertEquals("Limits", channel.at("/spec/stream/config/retention").asText());
    }

    @Test
    void aMistakeInAChannelIsCaught() throws IOException {
        JsonNode channel = YAML.readTree("""
                apiVersion: messaging.knative.dev/v1alpha1
                kind: NatsJetStreamChannel
                spec:
                  stream:
                    config: {retention: WorkQueue, replica: 3, maxAge: 7d}
                  consumerConfigTemplate: {ackWait: PT30S}
                """);
        List<String> errors = errors("natsjetstreamchannel", channel);
        assertEquals(4, errors.size(), errors.toString());
        assertTrue(errors.toString().contains("replica"), errors.toString());
    }

    @Test
    void theDispatchersNatsConfigurationIsValid() throws IOException {
        ConfigMap config = Manifests.ofType(Manifests.parse(Repo.path("deploy/knative/eventing-natss/config-nats.yaml")),
                ConfigMap.class).get(0);
        assertEquals("knative-eventing", config.getMetadata().getNamespace());
        JsonNode nats = YAML.readTree(config.getData().get("eventing-nats"));
        assertEquals(List.of(), errors("eventing-nats-config", nats));
        assertTrue(nats.path("url").asText().startsWith("tls://knative-eventing:"), "TLS, as the user of account EVENTING");

        JsonNode wrong = YAML.readTree("url: http://nats:4222\nconnOpts: {maxReconnect: 5}\n");
        assertEquals(2, errors("eventing-nats-config", wrong).size(), errors("eventing-nats-config", wrong).toString());
    }

    @Test
    void theDefaultChannelConfigurationNamesANatsJetStreamChannel() throws IOException {
        ConfigMap config = Manifests.ofType(Manifests.parse(Repo.path("deploy/knative/eventing-natss/config-br-default-channel.yaml")),
                ConfigMap.class).get(0);
        assertEquals(List.of(), errors("natsjetstreamchannel", YAML.readTree(config.getData().get("channel-template-spec"))));
    }

    private static List<String> errors(String schema, JsonNode document) {
        JsonSchema json = SCHEMAS.getSchema(Repo.path("deploy/knative/schemas/" + schema + ".schema.json").toUri());
        return json.validate(document).stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
