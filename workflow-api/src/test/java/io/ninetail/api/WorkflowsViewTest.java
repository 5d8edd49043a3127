package io.ninetail.api;

import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.ninetail.core.nats.Topology;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a webhook call sees of workflows that another api replica saves: this replica's view of
 * the bucket follows every change, and a route it has not heard of yet is read from the bucket.
 */
@QuarkusTest
@WithTestResource(NinetailStack.class)
class WorkflowsViewTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @ConfigProperty(name = "quarkus.messaging.nats.connection.servers")
    String natsUrl;
    @Inject
    WorkflowStore store;

    @Test
    void aRouteAnotherReplicaJustClaimedIsFoundAndItsLaterChangesFollow() throws Exception {
        try (Connection other = Nats.connect(natsUrl)) {
            KeyValue bucket = other.keyValue(Topology.WORKFLOWS_BUCKET);
            // Make sure this replica watches the bucket before the other replica writes.
            assertTrue(store.hook("POST", "elsewhere").isEmpty());
            bucket.put("elsewhere", stored(1));
            bucket.put("_hook.POST.elsewhere", owner("in"));

            assertEquals("in", store.hook("POST", "elsewhere").orElseThrow().blockId(), "read at once");
            assertEquals(1, store.current("elsewhere").orElseThrow().version());

            bucket.put("elsewhere", stored(2));
            bucket.put("_hook.POST.elsewhere", owner("entry"));
            await("the new version is seen").atMost(WAIT)
                    .until(() -> store.current("elsewhere").orElseThrow().version() == 2);
            await("the route's new owner is seen").atMost(WAIT)
                    .until(() -> store.hook("POST", "elsewhere").orElseThrow().blockId().equals("entry"));

            bucket.delete("_hook.POST.elsewhere");
            bucket.delete("elsewhere");
            await("the deleted route is gone").atMost(WAIT).until(() -> store.hook("POST", "elsewhere").isEmpty());
            assertTrue(store.current("elsewhere").isEmpty());
        }
    }

    private static byte[] stored(int version) {
        return ("""
                {"name": "elsewhere", "version": %d, "createdAt": "2026-01-01T00:00:00Z",
                 "updatedAt": "2026-01-01T00:00:00Z", "hooks": ["POST /hooks/elsewhere"],
                 "definition": {"name": "elsewhere", "blocks": [{"id": "in", "type": "hook",
                   "with": {"path": "elsewhere"}}]}}""").formatted(version).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] owner(String blockId) {
        return ("{\"workflow\": \"elsewhere\", \"blockId\": \"" + blockId + "\", \"method\": \"POST\", \"path\": \"elsewhere\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
