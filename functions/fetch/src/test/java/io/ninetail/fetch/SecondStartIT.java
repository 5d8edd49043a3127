package io.ninetail.fetch;

import io.ninetail.core.nats.Topology;
import io.ninetail.testing.SecondStart;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A second start of fetch, as another replica or with other settings, leaves streams, buckets and its consumer alone. */
class SecondStartIT {

    @Test
    void secondStartAgainstTheSameServerChangesNothing() throws Exception {
        SecondStart.assertChangesNothing("fetch", Path.of(System.getProperty("ninetail.app.dir", "target/quarkus-app")),
                List.of(Topology.WORKFLOW_STREAM, Topology.BLOCK_INPUT_STREAM, Topology.BLOCK_RESULT_STREAM,
                        "KV_" + Topology.WORKFLOWS_BUCKET, "KV_" + Topology.RUNS_BUCKET, "OBJ_" + Topology.PAYLOADS_STORE,
                        "consumer " + Topology.blockConsumer("fetch")),
                Map.of("ninetail.retention", "P1D", "ninetail.block.ack-wait", "PT5S"));
    }
}
