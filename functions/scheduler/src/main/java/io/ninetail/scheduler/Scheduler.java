package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Message;
import io.ninetail.core.block.BlockError;
import io.ninetail.core.definition.ValidationResult;
import io.ninetail.core.event.Event;
import io.ninetail.core.event.EventReader;
import io.ninetail.core.event.InvalidEventException;
import io.ninetail.core.nats.DurableConsumer.Outcome;
import io.ninetail.core.nats.Subjects.BlockAddress;
import io.ninetail.core.nats.Subjects.BlockLeg;
import io.ninetail.core.nats.Subjects;
import io.ninetail.core.run.Run;
import io.ninetail.core.run.RunStore;
import io.ninetail.core.run.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Applies each event to its run: read the run, work out the next state with
 * {@link RunTransitions}, write it by compare-and-set, then send what the new state decided.
 *
 * <p>The order makes every step safe to repeat. Effects live in the run's outbox until sent,
 * so a crash between writing and sending loses nothing: the next event of the run, or the
 * redelivery of this one, sends them (the fixed ids de-duplicate). A lost compare-and-set
 * means another replica changed the run first; the event is applied again to what it wrote.
 * Events of one run that arrive together are applied in one write ({@link RunBatches}); each
 * handler runs on a worker thread, and the one that writes blocks on KV and JetStream.
 */
@ApplicationScoped
public class Scheduler {

    private static final Logger LOG = Logger.getLogger(Scheduler.class);
    private static final int MAX_CONFLICTS = 100;

    private final RunStore store;
    private final RunCache cache;
    private final OutboxClearer clearer;
    private final Definitions definitions;
    private final EffectSender sender;
    private final EventReader reader;
    private final KeptOutputs keptOutputs;
    private final HeldTimers heldTimers;
    private final ObjectMapper mapper;
    private final Duration blockTimeout;
    private final Duration runTimeout;
    private final RunBatches batches = new RunBatches(this::update);

    public Scheduler(RunStore store, RunCache cache, OutboxClearer clearer, Definitions definitions,
                     EffectSender sender, EventReader reader, KeptOutputs keptOutputs, HeldTimers heldTimers,
                     ObjectMapper mapper,
                     @ConfigProperty(name = "ninetail.scheduler.block-timeout", defaultValue = "PT5M") Duration blockTimeout,
                     @ConfigProperty(name = "ninetail.scheduler.run-timeout", defaultValue = "PT1H") Duration runTimeout) {
        this.store = store;
        this.cache = cache;
        this.clearer = clearer;
        this.definitions = definitions;
        this.sender = sender;
        this.reader = reader;
        this.keptOutputs = keptOutputs;
        this.heldTimers = heldTimers;
        this.mapper = mapper;
        this.blockTimeout = blockTimeout;
        this.runTimeout = runTimeout;
        clearer.writeThrough(batches::whenIdle);
    }

    /**
     * {@code workflow.<runId>.start}: data {@code {"workflow": <definition, object form>, "input": …,
     * "trigger": <the webhook request, when a webhook started it>, "workflowVersion": <the stored
     * version it runs; absent for an inline workflow>}}. When the api has already
     * written the run (PENDING), that record is started; a start seen twice starts nothing twice.
     * The api says at which revision it wrote the record ({@code "pending": {"revision", "createdAt"}}),
     * which spares reading it back; revision 0 says it wrote none (a webhook's run, which nobody reads
     * before it has started), and the scheduler creates it.
     */
    public CompletionStage<Outcome> onStart(Message message) throws IOException {
        Event event;
        try {
            event = reader.read(message);
        } catch (InvalidEventException e) {
            // Not a start any producer of ours sends: delivering it again would change nothing.
            LOG.errorf("dropping start on %s: %s", message.getSubject(), e.getMessage());
            return CompletableFuture.completedFuture(Outcome.ACK);
        }
        JsonNode data;
        try {
            data = mapper.readTree(event.data());
        } catch (IOException notJson) {
            data = null;
        }
        JsonNode workflow = data == null ? null : data.get("workflow");
        JsonNode input = data == null ? null : data.get("input");
        JsonNode trigger = data == null ? null : data.get("trigger");
        Integer version = data != null && data.path("workflowVersion").canConvertToInt()
                ? data.get("workflowVersion").intValue() : null;
        Instant now = Instant.now();
        ValidationResult compiled = workflow == null ? null : definitions.compile(workflow);
        if (compiled == null || !compiled.valid()) {
            return batches.apply(event.runId(), existing -> existing != null ? existing
                    : RunTransitions.rejected(event.runId(), workflow, input, rejection(compiled), now));
        }
        RunTransitions transitions = transitions(compiled);
        JsonNode runDefinition = definitions.runDefinition(workflow);
        guessPending(event.runId(), compiled, runDefinition, input, trigger, version, data.get("pending"));
        return batches.apply(event.runId(), existing -> {
            Run run = existing != null ? existing : Run.pending(event.runId(), compiled.definition().orElseThrow(),
                    runDefinition, version, input, trigger, now);
            return transitions.start(run, now, runTimeout);
        });
    }

    /**
     * The PENDING record the api wrote, rebuilt from the start event, as the first guess of
     * {@link #update}: if it is not what is stored at that revision, the compare-and-set says so.
     */
    private void guessPending(String runId, ValidationResult compiled, JsonNode runDefinition, JsonNode input,
                              JsonNode trigger, Integer version, JsonNode pending) {
        if (pending == null || !pending.path("revision").canConvertToLong() || cache.get(runId) != null) {
            return;
        }
        Instant createdAt;
        try {
            createdAt = Instant.parse(pending.path("createdAt").asText());
        } catch (DateTimeParseException e) {
            return;
        }
        cache.wrote(new RunStore.Versioned(Run.pending(runId, compiled.definition().orElseThrow(), runDefinition,
                version, input, trigger, createdAt), pending.get("revision").asLong()));
    }

    /** {@code workflow.<runId>.cancel}. */
    public CompletionStage<Outcome> onCancel(Message message) {
        String runId = runIdOf(message.getSubject());
        Instant now = Instant.now();
        return batches.apply(runId, run -> run == null ? null : transitions(run).onCancel(run, now));
    }

    /** {@code block.<type>.<runId>.<blockId>.output} or {@code .error}. */
    public CompletionStage<Outcome> onResult(Message message) throws IOException {
        BlockLeg leg = message.getSubject().endsWith(".output") ? BlockLeg.OUTPUT : BlockLeg.ERROR;
        BlockAddress address = Subjects.parseBlockSubject(message.getSubject(), leg);
        Event event;
        try {
            event = reader.read(message);
        } catch (InvalidEventException e) {
            LOG.errorf("dropping result on %s: %s", message.getSubject(), e.getMessage());
            return CompletableFuture.completedFuture(Outcome.ACK);
        }
        int attempt = event.attempt();
        // The clock is read for each try of the compare-and-set: a try that follows another block's
        // result must not date this block's end, or the blocks it starts, before that result.
        if (leg == BlockLeg.OUTPUT) {
            byte[] bytes = event.data();
            JsonNode received = ReceivedObject.read(mapper, bytes);
            String reference = keptOutputs.keep(message, address, attempt, bytes, received);
            JsonNode output = reference == null ? received : null;
            return batches.apply(address.runId(), run -> run == null ? null
                    : transitions(run).onOutput(run, address.blockId(), attempt, output, reference, Instant.now()));
        }
        BlockError error = readError(event.data());
        return batches.apply(address.runId(), run -> run == null ? null
                : transitions(run).onError(run, address.blockId(), attempt, error, Instant.now()));
    }

    /**
     * {@code scheduler.timer.<runId>}: held back until due, then applied. A timer held back is
     * deleted if its run ends meanwhile, and one of a run that has ended is acknowledged at once
     * ({@link HeldTimers}).
     */
    public CompletionStage<Outcome> onTimer(Message message) throws IOException {
        Timer timer = mapper.readValue(reader.read(message).data(), Timer.class);
        Instant now = Instant.now();
        if (now.isBefore(timer.dueAt())) {
            boolean runGoesOn = heldTimers.hold(timer.runId(), timer.id(), message.metaData().streamSequence());
            return CompletableFuture.completedFuture(runGoesOn
                    ? Outcome.retryAfter(Duration.between(now, timer.dueAt())) : Outcome.ACK);
        }
        heldTimers.due(timer.runId(), timer.id());
        return batches.apply(timer.runId(), run -> run == null ? null : transitions(run).onTimer(run, timer, now));
    }

    /**
     * The compare-and-set loop. {@code change} gets the stored run (null when there is none)
     * and returns the next one, the same instance for "no change", or null for "nothing to do".
     *
     * <p>The first try starts from the run as this replica last wrote it ({@link RunCache}),
     * when it has it: a write based on that is checked by its revision, and a conflict, or a
     * decision not to write, is taken again on the run read from KV.
     */
    Outcome update(String runId, Function<Run, Run> change) {
        RunStore.Versioned guess = cache.get(runId);
        boolean lost = false;
        for (int tries = 0; tries < MAX_CONFLICTS; tries++) {
            // After losing a compare-and-set, a replica of a clustered bucket may not have the winner's write yet.
            Optional<RunStore.Versioned> current = guess != null ? Optional.of(guess)
                    : lost ? store.getFromLeader(runId) : store.get(runId);
            boolean guessed = guess != null;
            guess = null;
            Run before = current.map(RunStore.Versioned::run).orElse(null);
            Run after = change.apply(before);
            if (after == null || after == before) {
                if (guessed) {
                    continue;
                }
                // Nothing new; but an outbox left by a crashed writer is sent now.
                if (after != null && !before.outbox().isEmpty()) {
                    flush(before, current.get().revision());
                }
                return Outcome.ACK;
            }
            long revision;
            try {
                // Revision 0: a guess that the run is not stored yet (see onStart); creating it checks that.
                revision = current.isPresent() && current.get().revision() > 0
                        ? store.update(after, current.get().revision()) : store.create(after);
            } catch (RunStore.Conflict conflict) {
                cache.forget(runId);
                lost = true;
                continue;
            }
            cache.wrote(new RunStore.Versioned(after, revision));
            // Which replica changed which run: for following one run across replicas (SchedulerCrashIT).
            LOG.debugf("run %s: wrote revision %d (%s)", runId, revision, after.status());
            flush(after, revision);
            if (after.status().finished()) {
                heldTimers.release(runId);
            }
            return Outcome.ACK;
        }
        LOG.warnf("run %s: %d conflicting writers in a row; the event will be redelivered", runId, MAX_CONFLICTS);
        return Outcome.RETRY;
    }

    /** Sends the outbox; {@link OutboxClearer} empties it. */
    private void flush(Run run, long revision) {
        if (run.outbox().isEmpty()) {
            return;
        }
        sender.send(run, () -> transitions(run)).join();
        clearer.sent(run, revision);
    }

    private RunTransitions transitions(Run run) {
        return transitions(definitions.compile(run.definition()));
    }

    private RunTransitions transitions(ValidationResult compiled) {
        return new RunTransitions(compiled.definition().orElseThrow(
                () -> new IllegalStateException("a stored run always holds a valid definition")),
                blockTimeout, keptOutputs::get);
    }

    private BlockError readError(byte[] data) {
        try {
            BlockError error = mapper.readValue(data, BlockError.class);
            if (error != null && error.code() != null) {
                return error;
            }
        } catch (IOException ignored) {
            // reported below
        }
        return BlockError.of(BlockError.BAD_EVENT, "the function answered with an error event the scheduler"
                + " cannot read", false);
    }

    private static BlockError rejection(ValidationResult compiled) {
        if (compiled == null) {
            return BlockError.of("INVALID_DEFINITION", "the start event carries no workflow (its data must be"
                    + " {\"workflow\": …, \"input\": …})", false);
        }
        var errors = compiled.errors().stream().map(d -> d.pointer() + ": " + d.message()).toList();
        return new BlockError("INVALID_DEFINITION", "the workflow is not valid: " + String.join("; ", errors), false,
                Map.of("errors", errors));
    }

    private static String runIdOf(String subject) {
        String[] tokens = subject.split("\\.");
        return tokens[1];
    }
}
