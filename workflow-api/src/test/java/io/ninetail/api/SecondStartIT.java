package io.ninetail.api;

import io.ninetail.core.nats.Topology;
import io.ninetail.testing.SecondStart;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A second api, or one restarted with another retention, leaves streams and buckets as the first made them. */
class SecondStartIT {

    @Test
    void secondStartAgainstTheSameServerChangesNothing() throws Exception {
        SecondStart.assertChangesNothing("workflow-api", Path.of(System.getProperty("ninetail.app.dir", "target/quarkus-app")),
                List.of(Topology.WORKFLOW_STREAM, Topology.BLOCK_INPUT_STREAM, Topology.BLOCK_RESULT_STREAM,
                        "KV_" + Topology.WORKFLOWS_BUCKET, "KV_" + Topology.RUNS_BUCKET, "OBJ_" + Topology.PAYLOADS_STORE),
                Map.of("ninetail.retention", "P1D"));
    }
}
