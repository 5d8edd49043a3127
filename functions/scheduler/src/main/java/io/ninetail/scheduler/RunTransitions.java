package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ninetail.core.block.BlockError;
import io.ninetail.core.block.BlockFailure;
import io.ninetail.core.definition.BlockDefinition;
import io.ninetail.core.definition.EvaluationContext;
import io.ninetail.core.definition.OnError;
import io.ninetail.core.definition.WorkflowDefinition;
import io.ninetail.core.nats.Subjects;
import io.ninetail.core.run.Attempt;
import io.ninetail.core.run.BlockRun;
import io.ninetail.core.run.BlockStatus;
import io.ninetail.core.run.Effect;
import io.ninetail.core.run.Run;
import io.ninetail.core.run.RunStatus;
import io.ninetail.core.run.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The scheduler's state machine (DESIGN §4, §6): how a run changes on each event. Pure: given
 * the same run and event it returns the same run, with what to send appended to its outbox;
 * it reads no clock (the caller passes {@code now}) and sends nothing itself.
 *
 * <p>Every transition is safe to apply twice: a result for an attempt that is no longer the
 * current one, a timer that is no longer due, an event for a finished run — each returns the
 * run unchanged.
 */
public final class RunTransitions {

    static final String RESPONSE_TYPE = "response";
    static final String HOOK_TYPE = "hook";
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final WorkflowDefinition definition;
    private final Duration defaultBlockTimeout;
    private final Function<String, JsonNode> keptOutputs;

    /**
     * @param defaultBlockTimeout how long an attempt of a block without {@code timeout} may take
     * @param keptOutputs         reads an output that the run record holds by reference
     */
    public RunTransitions(WorkflowDefinition definition, Duration defaultBlockTimeout,
                          Function<String, JsonNode> keptOutputs) {
        this.definition = definition;
        this.defaultBlockTimeout = defaultBlockTimeout;
        this.keptOutputs = keptOutputs;
    }

    /** A run that cannot start (its workflow is not valid): FAILED at once, and said so. */
    public static Run rejected(String runId, JsonNode workflow, JsonNode input, BlockError error, Instant now) {
        String name = workflow != null && workflow.path("name").isTextual() ? workflow.get("name").asText() : null;
        Run run = new Run(runId, name, null, workflow, input, null, RunStatus.FAILED, now, now, now, Map.of(), null, null,
                error, null, null, List.of());
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("runId", runId);
        data.put("workflow", name);
        data.put("status", RunStatus.FAILED.name());
        data.set("error", errorJson(error));
        String subject = Subjects.workflowFailed(runId);
        return run.with(new Effect.Notify(subject, runId + "." + Subjects.eventType(subject),
                Subjects.eventType(subject), null, 0, data));
    }

    /**
     * Starts a PENDING run: dispatches every block whose needs are met.
     *
     * @param runTimeout the deadline of a run whose workflow sets no {@code timeout}; null for none
     */
    public Run start(Run run, Instant now, Duration runTimeout) {
        if (run.status() != RunStatus.PENDING) {
            return run;
        }
        Run started = run.started(now);
        // The workflow's own timeout wins, longer or shorter, as a block's does over block-timeout.
        Duration limit = definition.timeout().orElse(runTimeout);
        if (limit != null) {
            started = started.withDeadline(now.plus(limit));
        }
        return arm(settle(started, now));
    }

    /**
     * @param output    the output, or null when the record holds it by reference
     * @param outputRef where a large output is kept ({@link KeptOutputs}), else null
     */
    public Run onOutput(Run run, String blockId, int attempt, JsonNode output, String outputRef, Instant now) {
        BlockRun block = current(run, blockId, attempt);
        if (block == null) {
            return run;
        }
        BlockRun completed = block.completed(output, now);
        Run next = run.withBlock(blockId, outputRef == null ? completed : completed.withOutputRef(outputRef));
        next = notify(next, blockId, BlockStatus.COMPLETED, now);
        return arm(settle(next, now));
    }

    public Run onError(Run run, String blockId, int attempt, BlockError error, Instant now) {
        BlockRun block = current(run, blockId, attempt);
        return block == null ? run : arm(failAttempt(run, blockId, block, error, now));
    }

    private Run failAttempt(Run run, String blockId, BlockRun block, BlockError error, Instant now) {
        int attempt = block.attempt();
        BlockDefinition spec = spec(blockId);
        BlockRun failed = block.failedAttempt(error, now);
        if (error.retryable() && attempt < spec.retry().maxAttempts()) {
            Duration wait = max(spec.retry().delayBefore(attempt + 1), retryAfter(error));
            return notify(run.withBlock(blockId, failed.waitingUntil(now.plus(wait))), blockId, BlockStatus.READY, now);
        }
        if (spec.onError() == OnError.CONTINUE) {
            Run next = run.withBlock(blockId, failed.completed(errorJson(error), now));
            return settle(notify(next, blockId, BlockStatus.COMPLETED, now), now);
        }
        Run next = run.withBlock(blockId, failed.failed(now));
        return settle(notify(next, blockId, BlockStatus.FAILED, now), now);
    }

    /**
     * The run's wake-up at {@code timer.dueAt()}, applied at {@code now} (not before it): does what
     * is due by now — the run's deadline, attempts past their timeout, retries past their backoff —
     * and sets the next wake-up. A wake-up with nothing due (a duplicate, or one superseded by an
     * earlier one) changes nothing.
     */
    public Run onTimer(Run run, Timer timer, Instant now) {
        if (run.status() != RunStatus.RUNNING) {
            return run;
        }
        if (run.deadline() != null && !now.isBefore(run.deadline())) {
            return stop(run, RunStatus.FAILED, new BlockError(BlockError.TIMEOUT,
                    "the run did not finish by " + run.deadline(), false, Map.of()), now);
        }
        // This wake-up, or an earlier one, was the pending one: the next is set below.
        Run next = run.alarm() != null && !run.alarm().isAfter(timer.dueAt()) ? run.withAlarm(null) : run;
        for (BlockDefinition spec : definition.blocks()) {
            BlockRun block = next.block(spec.id());
            if (next.status() != RunStatus.RUNNING) {
                break;
            }
            if (block.status() == BlockStatus.RUNNING && !now.isBefore(attemptDeadline(block, spec))) {
                Duration limit = limit(spec);
                next = failAttempt(next, spec.id(), block, new BlockError(BlockError.TIMEOUT,
                        "block '" + spec.id() + "' attempt " + block.attempt() + " did not answer within " + limit,
                        true, Map.of("timeoutMs", limit.toMillis())), now);
            } else if (block.status() == BlockStatus.READY && block.nextAttemptAt() != null
                    && !now.isBefore(block.nextAttemptAt())) {
                next = dispatch(next, spec, block.attempt() + 1, now);
            }
        }
        return arm(next);
    }

    public Run onCancel(Run run, Instant now) {
        return run.status().finished() ? run : stop(run, RunStatus.CANCELLED, null, now);
    }

    /**
     * The parameters of one attempt: {@code with} resolved against the block's ancestors; for a
     * hook, the request that started the run checked against what the hook expects.
     */
    public JsonNode parameters(Run run, String blockId) {
        BlockDefinition spec = spec(blockId);
        ObjectNode with = spec.with().resolve(context(run, spec));
        return HOOK_TYPE.equals(spec.type()) ? HookInput.of(with, run.trigger(), run.input()) : with;
    }

    // --- the rules --------------------------------------------------------------------------

    /** Decides every PENDING block whose needs have all finished, until nothing changes. */
    private Run settle(Run run, Instant now) {
        boolean changed = true;
        while (changed && run.status() == RunStatus.RUNNING) {
            changed = false;
            for (BlockDefinition spec : definition.blocks()) {
                BlockRun block = run.block(spec.id());
                if (block.status() != BlockStatus.PENDING || !needsFinished(run, spec)) {
                    continue;
                }
                changed = true;
                run = decide(run, spec, now);
            }
        }
        return finishIfDone(run, now);
    }

    private Run decide(Run run, BlockDefinition spec, Instant now) {
        List<BlockStatus> needs = spec.needs().stream().map(id -> run.block(id).status()).toList();
        boolean runs = switch (spec.runIf()) {
            case SUCCESS -> needs.stream().allMatch(status -> status == BlockStatus.COMPLETED);
            case FAILURE -> needs.stream().anyMatch(status -> status == BlockStatus.FAILED);
            case ALWAYS -> true;
        };
        if (!runs) {
            return skip(run, spec.id(), now);
        }
        if (spec.condition().isPresent()) {
            try {
                if (!spec.condition().get().test(context(run, spec))) {
                    return skip(run, spec.id(), now);
                }
            } catch (BlockFailure failure) {
                BlockRun failed = run.block(spec.id()).failedAttempt(failure.error(), now).failed(now);
                return notify(run.withBlock(spec.id(), failed), spec.id(), BlockStatus.FAILED, now);
            }
        }
        return dispatch(run, spec, 1, now);
    }

    private Run dispatch(Run run, BlockDefinition spec, int attempt, Instant now) {
        Run next = run.withBlock(spec.id(), run.block(spec.id()).dispatched(attempt, now))
                .with(new Effect.Dispatch(spec.id(), attempt));
        return notify(next, spec.id(), BlockStatus.RUNNING, now);
    }

    /**
     * Sets a wake-up for the earliest time something of the run comes due, unless one is already
     * pending for that time or earlier: the wake-up then sets the next.
     */
    private Run arm(Run run) {
        if (run.status() != RunStatus.RUNNING) {
            return run;
        }
        Instant due = earliestDue(run);
        if (due == null || (run.alarm() != null && !due.isBefore(run.alarm()))) {
            return run;
        }
        return run.withAlarm(due).with(new Effect.StartTimer(new Timer(run.runId(), due)));
    }

    /** The run's deadline, its running attempts' timeouts and its retries' due times: the earliest. */
    private Instant earliestDue(Run run) {
        Instant earliest = run.deadline();
        for (BlockDefinition spec : definition.blocks()) {
            BlockRun block = run.block(spec.id());
            Instant due = switch (block.status()) {
                case RUNNING -> attemptDeadline(block, spec);
                case READY -> block.nextAttemptAt();
                default -> null;
            };
            if (due != null && (earliest == null || due.isBefore(earliest))) {
                earliest = due;
            }
        }
        return earliest;
    }

    private Instant attemptDeadline(BlockRun block, BlockDefinition spec) {
        List<Attempt> attempts = block.attempts();
        Instant started = attempts.isEmpty() ? block.startedAt() : attempts.get(attempts.size() - 1).startedAt();
        return started.plus(limit(spec));
    }

    private Duration limit(BlockDefinition spec) {
        return spec.timeout().orElse(defaultBlockTimeout);
    }

    private Run skip(Run run, String blockId, Instant now) {
        return notify(run.withBlock(blockId, run.block(blockId).withStatus(BlockStatus.SKIPPED, now)),
                blockId, BlockStatus.SKIPPED, now);
    }

    private Run finishIfDone(Run run, Instant now) {
        if (run.status() != RunStatus.RUNNING
                || !run.blocks().values().stream().allMatch(block -> block.status().finished())) {
            return run;
        }
        Optional<String> unhandled = definition.blocks().stream().map(BlockDefinition::id)
                .filter(id -> run.block(id).status() == BlockStatus.FAILED && !handled(run, id))
                .findFirst();
        if (unhandled.isPresent()) {
            BlockError cause = run.block(unhandled.get()).error();
            return finish(run, RunStatus.FAILED, null, runError(unhandled.get(), cause), now);
        }
        Run completed = finish(run, RunStatus.COMPLETED, runOutput(run), null, now);
        // The response's output is the run's: a large one is named, not copied again.
        String reference = respondingBlock(run).map(BlockRun::outputRef).orElse(null);
        return reference == null ? completed : completed.withOutputRef(reference);
    }

    /** A failure is handled when a {@code runIf: failure} block that needs it went on to run. */
    private boolean handled(Run run, String failedId) {
        return definition.dependentsOf(failedId).stream()
                .filter(dependent -> dependent.runIf() == io.ninetail.core.definition.RunIf.FAILURE)
                .map(dependent -> run.block(dependent.id()).status())
                .anyMatch(status -> status == BlockStatus.COMPLETED || status == BlockStatus.FAILED);
    }

    /** Ends the run now: every unfinished block is CANCELLED. */
    private Run stop(Run run, RunStatus status, BlockError error, Instant now) {
        Run next = run;
        for (Map.Entry<String, BlockRun> entry : run.blocks().entrySet()) {
            if (!entry.getValue().status().finished()) {
                next = notify(next.withBlock(entry.getKey(), entry.getValue().withStatus(BlockStatus.CANCELLED, now)),
                        entry.getKey(), BlockStatus.CANCELLED, now);
            }
        }
        return finish(next, status, null, error, now);
    }

    private Run finish(Run run, RunStatus status, JsonNode output, BlockError error, Instant now) {
        Run finished = run.finished(status, output, error, now);
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("runId", run.runId());
        data.put("workflow", run.workflow());
        data.put("status", status.name());
        data.put("startedAt", String.valueOf(run.startedAt()));
        data.put("endedAt", now.toString());
        if (output != null) {
            data.set("output", output);
        }
        if (error != null) {
            data.set("error", errorJson(error));
        }
        String subject = switch (status) {
            case COMPLETED -> Subjects.workflowComplete(run.runId());
            case FAILED -> Subjects.workflowFailed(run.runId());
            default -> Subjects.workflowCancelled(run.runId());
        };
        return finished.with(new Effect.Notify(subject, run.runId() + "." + Subjects.eventType(subject),
                Subjects.eventType(subject), null, 0, data));
    }

    private Optional<BlockRun> respondingBlock(Run run) {
        return respondingBlockId(run).map(run::block);
    }

    private Optional<String> respondingBlockId(Run run) {
        return definition.blocks().stream()
                .filter(block -> RESPONSE_TYPE.equals(block.type()))
                .map(BlockDefinition::id)
                .filter(id -> run.block(id).status() == BlockStatus.COMPLETED)
                .findFirst();
    }

    private JsonNode runOutput(Run run) {
        Optional<String> response = respondingBlockId(run);
        if (response.isPresent()) {
            return output(run, response.get());
        }
        ObjectNode leaves = JsonNodeFactory.instance.objectNode();
        definition.blocks().stream()
                .filter(block -> definition.dependentsOf(block.id()).isEmpty())
                .filter(block -> run.block(block.id()).status() == BlockStatus.COMPLETED)
                .forEach(block -> leaves.set(block.id(), output(run, block.id())));
        return leaves;
    }

    private static BlockError runError(String blockId, BlockError cause) {
        Map<String, Object> details = new LinkedHashMap<>(cause.details());
        details.put("blockId", blockId);
        return new BlockError(cause.code(), "block '" + blockId + "' failed: " + cause.message(), false, details);
    }

    // --- expressions ------------------------------------------------------------------------

    /** What the block's expressions see: its ancestors' outputs (errors for failed ones), $input, $run. */
    EvaluationContext context(Run run, BlockDefinition spec) {
        Map<String, JsonNode> outputs = new LinkedHashMap<>();
        for (String ancestor : ancestors(spec)) {
            BlockRun block = run.block(ancestor);
            if (block.status() == BlockStatus.COMPLETED) {
                outputs.put(ancestor, output(run, ancestor));
            } else if (block.status() == BlockStatus.FAILED && block.error() != null) {
                outputs.put(ancestor, errorJson(block.error()));
            }
        }
        ObjectNode meta = JsonNodeFactory.instance.objectNode();
        meta.put("id", run.runId());
        meta.put("workflow", run.workflow());
        meta.put("startedAt", String.valueOf(run.startedAt()));
        return EvaluationContext.of(outputs, run.input(), meta);
    }

    private JsonNode output(Run run, String blockId) {
        BlockRun block = run.block(blockId);
        if (block.outputRef() != null) {
            return keptOutputs.apply(block.outputRef());
        }
        return block.output() == null ? JsonNodeFactory.instance.nullNode() : block.output();
    }

    private Set<String> ancestors(BlockDefinition spec) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(spec.needs());
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (seen.add(id)) {
                todo.addAll(spec(id).needs());
            }
        }
        return seen;
    }

    // --- helpers ----------------------------------------------------------------------------

    /** The block if the result is for its current attempt, else null (duplicate or late). */
    private BlockRun current(Run run, String blockId, int attempt) {
        if (run.status() != RunStatus.RUNNING) {
            return null;
        }
        BlockRun block = run.block(blockId);
        return block != null && block.status() == BlockStatus.RUNNING && block.attempt() == attempt ? block : null;
    }

    private boolean needsFinished(Run run, BlockDefinition spec) {
        return spec.needs().stream().allMatch(id -> run.block(id).status().finished());
    }

    private BlockDefinition spec(String blockId) {
        return definition.block(blockId)
                .orElseThrow(() -> new IllegalArgumentException("no block '" + blockId + "' in " + definition.name()));
    }

    private Run notify(Run run, String blockId, BlockStatus status, Instant now) {
        BlockRun block = run.block(blockId);
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("runId", run.runId());
        data.put("blockId", blockId);
        data.put("type", block.type());
        data.put("state", status.name());
        data.put("attempt", block.attempt());
        data.put("at", now.toString());
        if (block.nextAttemptAt() != null) {
            data.put("nextAttemptAt", block.nextAttemptAt().toString());
        }
        if (block.error() != null && status != BlockStatus.RUNNING) {
            data.set("error", errorJson(block.error()));
        }
        String subject = Subjects.blockState(run.runId(), blockId, status.token());
        return run.with(new Effect.Notify(subject, run.runId() + "." + blockId + "." + block.attempt() + "." + status.token(),
                Subjects.eventType(subject), blockId, block.attempt(), data));
    }

    static JsonNode errorJson(BlockError error) {
        return JSON.valueToTree(error);
    }

    private static Duration retryAfter(BlockError error) {
        Object value = error.details().get("retryAfterMs");
        return value instanceof Number millis ? Duration.ofMillis(millis.longValue()) : Duration.ZERO;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
