package io.ninetail.scheduler;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.ninetail.core.block.BlockError;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run control block (WCB, DESIGN §6), stored as JSON under the run id in the {@code runs}
 * bucket and changed only by compare-and-set on the entry's revision.
 *
 * @param definition the workflow as it was when the run started (object form): a run keeps
 *                   its version whatever happens to the stored workflow
 * @param blocks     by block id, in definition order
 * @param output     when COMPLETED: the response block's output, or the leaves' outputs by id
 * @param outputRef  a payload-store reference instead of {@code output} when it was too large
 * @param error      when FAILED: the failure that ended the run
 * @param outbox     effects decided but not yet known to be sent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Run(String runId, String workflow, JsonNode definition, JsonNode input, RunStatus status,
                  Instant createdAt, Instant startedAt, Instant endedAt, Map<String, BlockRun> blocks,
                  JsonNode output, String outputRef, BlockError error, List<Effect> outbox) {

    public Run {
        blocks = blocks == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(blocks));
        outbox = outbox == null ? List.of() : List.copyOf(outbox);
    }

    public BlockRun block(String id) {
        return blocks.get(id);
    }

    Run withBlock(String id, BlockRun block) {
        Map<String, BlockRun> all = new LinkedHashMap<>(blocks);
        all.put(id, block);
        return new Run(runId, workflow, definition, input, status, createdAt, startedAt, endedAt, all, output,
                outputRef, error, outbox);
    }

    Run with(Effect effect) {
        List<Effect> all = new ArrayList<>(outbox);
        all.add(effect);
        return new Run(runId, workflow, definition, input, status, createdAt, startedAt, endedAt, blocks, output,
                outputRef, error, all);
    }

    Run withoutOutbox() {
        return new Run(runId, workflow, definition, input, status, createdAt, startedAt, endedAt, blocks, output,
                outputRef, error, List.of());
    }

    Run started(Instant at) {
        return new Run(runId, workflow, definition, input, RunStatus.RUNNING, createdAt, at, endedAt, blocks, output,
                outputRef, error, outbox);
    }

    Run finished(RunStatus next, JsonNode result, BlockError failure, Instant at) {
        return new Run(runId, workflow, definition, input, next, createdAt, startedAt, at, blocks, result, null,
                failure, outbox);
    }

    Run withOutputRef(String reference) {
        return new Run(runId, workflow, definition, input, status, createdAt, startedAt, endedAt, blocks, null,
                reference, error, outbox);
    }
}
