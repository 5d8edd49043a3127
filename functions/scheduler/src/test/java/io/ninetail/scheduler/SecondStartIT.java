package io.ninetail.scheduler;

import io.ninetail.core.nats.Topology;
import io.ninetail.testing.SecondStart;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A second scheduler (replicas share its four durable consumers), or one restarted with other
 * settings, leaves streams, buckets and consumers as the first made them.
 */
class SecondStartIT {

    @Test
    void secondStartAgainstTheSameServerChangesNothing() throws Exception {
        SecondStart.assertChangesNothing("scheduler", Path.of(System.getProperty("ninetail.app.dir", "target/quarkus-app")),
                List.of(Topology.WORKFLOW_STREAM, Topology.BLOCK_INPUT_STREAM, Topology.BLOCK_RESULT_STREAM,
                        Topology.SCHEDULER_TIMERS_STREAM, "KV_" + Topology.WORKFLOWS_BUCKET, "KV_" + Topology.RUNS_BUCKET,
                        "OBJ_" + Topology.PAYLOADS_STORE, "consumer scheduler-start", "consumer scheduler-cancel",
                        "consumer scheduler-results", "consumer scheduler-timers"),
                Map.of("ninetail.retention", "P1D", "ninetail.scheduler.ack-wait", "PT5S"));
    }
}
