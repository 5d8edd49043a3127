package io.ninetail.fetch;

import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamInfo;
import io.ninetail.core.nats.Topology;
import io.ninetail.testing.AppProcess;
import io.ninetail.testing.JetStreamProbe;
import io.ninetail.testing.NatsServerResource;
import io.ninetail.testing.NatsServerResource.RunningNats;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streams, buckets and the consumer are created by whichever process starts first; every
 * later start, of this app or another replica, leaves them exactly as they were.
 */
class SecondStartIT {

    private static final List<String> STREAMS = List.of(Topology.WORKFLOW_STREAM, Topology.BLOCK_INPUT_STREAM,
            Topology.BLOCK_RESULT_STREAM, "KV_" + Topology.WORKFLOWS_BUCKET, "KV_" + Topology.RUNS_BUCKET,
            "OBJ_" + Topology.PAYLOADS_STORE);
    private static final Duration START = Duration.ofSeconds(60);

    @Test
    void secondStartAgainstTheSameServerChangesNothing() throws Exception {
        Path app = Path.of(System.getProperty("ninetail.app.dir", "target/quarkus-app"));
        try (RunningNats nats = NatsServerResource.startServer(); JetStreamProbe probe = new JetStreamProbe(nats.url())) {
            Map<String, String> config = Map.of("quarkus.messaging.nats.connection.servers", nats.url());
            Map<String, String> afterFirst;
            try (AppProcess first = AppProcess.start("fetch-1", app, config).awaitReady(START)) {
                afterFirst = topology(probe.management());
                assertTrue(afterFirst.keySet().containsAll(STREAMS), afterFirst.keySet().toString());
                assertTrue(afterFirst.containsKey("consumer " + Topology.blockConsumer("fetch")), afterFirst.keySet().toString());

                try (AppProcess second = AppProcess.start("fetch-2", app, config).awaitReady(START)) {
                    assertEquals(afterFirst, topology(probe.management()), "a second replica starting changes nothing");
                }
            }
            // Even a start with other settings leaves what exists alone: changing a live
            // deployment's retention is an operator's decision (docs/architecture.md).
            Map<String, String> otherSettings = Map.of(
                    "quarkus.messaging.nats.connection.servers", nats.url(),
                    "ninetail.retention", "P1D",
                    "ninetail.block.ack-wait", "PT5S");
            try (AppProcess restarted = AppProcess.start("fetch-3", app, otherSettings).awaitReady(START)) {
                assertEquals(afterFirst, topology(probe.management()), "a restart with other settings changes nothing");
            }
        }
    }

    /** Every stream's and consumer's configuration and creation time, by name. */
    private static Map<String, String> topology(JetStreamManagement management) throws Exception {
        Map<String, String> state = new TreeMap<>();
        for (StreamInfo stream : management.getStreams()) {
            String name = stream.getConfiguration().getName();
            state.put(name, stream.getConfiguration().toJson() + " created " + stream.getCreateTime());
            for (ConsumerInfo consumer : management.getConsumers(name)) {
                state.put("consumer " + consumer.getName(),
                        consumer.getConsumerConfiguration().toJson() + " created " + consumer.getCreationTime());
            }
        }
        return state;
    }
}
