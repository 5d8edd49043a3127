package io.ninetail.core.run;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.ninetail.core.block.BlockError;
import io.ninetail.core.definition.WorkflowDefinition;

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
 * @param workflowVersion the version of the stored workflow the run started with; null for a run
 *                   of an inline workflow (and for records written before runs named it)
 * @param definition the workflow as it was when the run started (object form): a run keeps
 *                   its version whatever happens to the stored workflow
 * @param trigger    the webhook request that started the run ({@code {method, path, headers, query,
 *                   body}}, body as raw text), or null when it was started through the api
 * @param blocks     by block id, in definition order
 * @param output     when COMPLETED: the response block's output, or the leaves' outputs by id
 * @param outputRef  where the output is kept instead ({@link io.ninetail.core.nats.OutputStore}): the
 *                   response block's result message, or the payload store when it was too large
 * @param error      when FAILED: the failure that ended the run
 * @param deadline   when the run fails with TIMEOUT if it has not finished (null: never)
 * @param alarm      the scheduler's own: when its earliest pending wake-up for this run is due
 *                   (null: none pending), so that it starts another one only when something is
 *                   due earlier than that
 * @param outbox     effects decided but not yet known to be sent
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Run(String runId, String workflow, Integer workflowVersion, JsonNode definition, JsonNode input,
                  JsonNode trigger,
                  RunStatus status,
                  Instant createdAt, Instant startedAt, Instant endedAt, Map<String, BlockRun> blocks,
                  JsonNode output, String outputRef, BlockError error, Instant deadline, Instant alarm,
                  List<Effect> outbox) {

    public Run {
        blocks = blocks == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(blocks));
        outbox = outbox == null ? List.of() : List.copyOf(outbox);
    }

    /**
     * A new run of {@code definition}, every block PENDING. The api writes it before publishing
     * the start, so the run can be read at once; the scheduler creates it if nobody did.
     */
    public static Run pending(String runId, WorkflowDefinition definition, JsonNode input, JsonNode trigger,
                              Instant now) {
        return pending(runId, definition, definition.toJson(), null, input, trigger, now);
    }

    /**
     * The same, with the definition's JSON given: one the caller made once for many runs (the
     * record then holds that node, which no one may change); and the version of the stored
     * workflow it runs (null: an inline workflow).
     */
    public static Run pending(String runId, WorkflowDefinition definition, JsonNode definitionJson,
                              Integer workflowVersion, JsonNode input, JsonNode trigger, Instant now) {
        Map<String, BlockRun> blocks = new LinkedHashMap<>();
        definition.blocks().forEach(block -> blocks.put(block.id(), BlockRun.pending(block.type())));
        return new Run(runId, definition.name(), workflowVersion, definitionJson, input, trigger, RunStatus.PENDING,
                now, null, null, blocks, null, null, null, null, null, List.of());
    }

    public BlockRun block(String id) {
        return blocks.get(id);
    }

    public Run withBlock(String id, BlockRun block) {
        Map<String, BlockRun> all = new LinkedHashMap<>(blocks);
        all.put(id, block);
        return new Run(runId, workflow, workflowVersion, definition, input, trigger, status, createdAt, startedAt,
                endedAt, all, output, outputRef, error, deadline, alarm, outbox);
    }

    public Run with(Effect effect) {
        List<Effect> all = new ArrayList<>(outbox);
        all.add(effect);
        return new Run(runId, workflow, workflowVersion, definition, input, trigger, status, createdAt, startedAt,
                endedAt, blocks, output, outputRef, error, deadline, alarm, all);
    }

    public Run withoutOutbox() {
        return new Run(runId, workflow, workflowVersion, definition, input, trigger, status, createdAt, startedAt,
                endedAt, blocks, output, outputRef, error, deadline, alarm, List.of());
    }

    public Run started(Instant at) {
        return new Run(runId, workflow, workflowVersion, definition, input, trigger, RunStatus.RUNNING, createdAt, at,
                endedAt, blocks, output, outputRef, error, deadline, alarm, outbox);
    }

    public Run withDeadline(Instant at) {
        return new Run(runId, workflow, workflowVersion, definition, input, trigger, status, createdAt, startedAt,
                endedAt, blocks, output, outputRef, error, at, alarm, outbox);
    }

    public Run withAlarm(Instant at) {
        return new Run(runId, workflow, workflowVersion, definition, input, trigger, status, createdAt, startedAt,
                endedAt, blocks, output, outputRef, error, deadline, at, outbox);
    }

    public Run finished(RunStatus next, JsonNode result, BlockError failure, Instant at) {
        return new Run(runId, workflow, workflowVersion, definition, input, trigger, next, createdAt, startedAt, at,
                blocks, result, null, failure, deadline, alarm, outbox);
    }

    /** The same run with the output its reference names, read back (for display). */
    public Run withOutput(JsonNode value) {
        return new Run(runId, workflow, workflowVersion, definition, input, trigger, status, createdAt, startedAt,
                endedAt, blocks, value, null, error, deadline, alarm, outbox);
    }

    public Run withOutputRef(String reference) {
        return new Run(runId, workflow, workflowVersion, definition, input, trigger, status, createdAt, startedAt,
                endedAt, blocks, null, reference, error, deadline, alarm, outbox);
    }
}
