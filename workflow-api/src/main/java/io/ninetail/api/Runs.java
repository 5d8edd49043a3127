package io.ninetail.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ninetail.core.block.BlockError;
import io.ninetail.core.definition.WorkflowDefinition;
import io.ninetail.core.event.Event;
import io.ninetail.core.nats.EventPublisher;
import io.ninetail.core.nats.OutputStore;
import io.ninetail.core.nats.Subjects;
import io.ninetail.core.nats.Topology;
import io.ninetail.core.run.BlockRun;
import io.ninetail.core.run.Run;
import io.ninetail.core.run.RunStatus;
import io.ninetail.core.run.RunStore;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Starting, reading, listing and cancelling runs. A run starts as DESIGN §3 says: the PENDING
 * run record is written first (so {@code GET /runs/{id}} finds it at once), then
 * {@code workflow.<runId>.start} is sent with the fixed id {@code <runId>.start}, which JetStream
 * de-duplicates (sent into JetStream, or through the broker in Knative mode: {@link RunCommands}).
 * Blocking methods: call them on worker threads.
 */
@ApplicationScoped
public class Runs {

    private static final Logger LOG = Logger.getLogger(Runs.class);

    static final String SOURCE = "/ninetail/api";
    /** The largest output {@code GET /runs/{id}} shows whole (a run record used to hold outputs up to this size). */
    static final int SHOWN_OUTPUT_MAX = 32 * 1024;
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);

    /** A run just started, and the watch opened before its start was published (null if none). */
    public record Started(String runId, WorkflowDefinition definition, RunWatcher.Watch watch) {
    }

    /** One page of {@code GET /runs}. */
    public record Page(List<Run> runs, String next) {
    }

    private final RunStore store;
    private final RunWatcher watcher;
    private final EventPublisher publisher;
    private final RunCommands commands;
    private final OutputStore outputs;
    private final ApiMetrics metrics;
    private final ObjectMapper mapper;
    private volatile KvBucket runsBucket;

    public Runs(RunStore store, RunWatcher watcher, EventPublisher publisher, RunCommands commands, OutputStore outputs,
                ApiMetrics metrics, ObjectMapper mapper) {
        this.store = store;
        this.watcher = watcher;
        this.publisher = publisher;
        this.commands = commands;
        this.outputs = outputs;
        this.metrics = metrics;
        this.mapper = mapper;
    }

    /**
     * Writes the PENDING run when it is to be {@code readable} at once, opens a watch when
     * {@code watchFor} is given, publishes the start. A run whose watch cannot be opened is not
     * started: it is marked FAILED, as one whose start could not be published.
     *
     * @param trigger  the webhook request, or null
     * @param via      for the metrics: {@code api}, {@code inline} or {@code hook}
     * @param readable true: the api writes the PENDING run first, so that it can be read as soon as
     *                 this returns; false (a webhook, whose caller reads nothing before its answer):
     *                 the scheduler creates it when it starts the run, one write and one round trip
     *                 less on the caller's path
     */
    public Started start(CompiledWorkflow workflow, JsonNode input, JsonNode trigger, String via,
                         Awaited watchFor, boolean readable) {
        Instant now = Instant.now();
        String runId = RunIds.next(now);
        // Only to write (and for its id): its definition is the workflow's serialized text.
        Run run = workflow.pending(runId, input, trigger, now);
        long revision = 0;
        if (readable) {
            requireFits(json(run));
            try {
                revision = store.create(run);
            } catch (RunStore.Conflict impossible) {
                throw new IllegalStateException("run id " + runId + " taken", impossible);
            } catch (IllegalStateException e) {
                throw KvBucket.unavailable("writing run " + runId, e);
            }
        }
        byte[] data = json(startData(mapper, workflow, input, trigger, revision, now));
        // The record holds what the start holds and a few bytes per block: only a large start can
        // make a record too large for the scheduler to write.
        if (!readable && data.length > publisher.maxData() / 2) {
            requireFits(json(run));
        }
        RunWatcher.Watch watch;
        try {
            watch = watchFor == null ? null : watch(runId, watchFor);
        } catch (ProblemException e) {
            markNotStarted(run, e);
            throw e;
        }
        String subject = Subjects.workflowStart(runId);
        try {
            commands.send(subject, event(runId, runId + ".start", subject, data))
                    .get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (watch != null) {
                watch.close();
            }
            markNotStarted(run, e);
            throw commands.unavailable("publishing the start of run " + runId, e);
        }
        metrics.runStarted(via);
        return new Started(runId, workflow.definition(), watch);
    }

    private void requireFits(byte[] record) {
        if (record.length > publisher.maxData()) {
            throw Problem.of(413, "run-too-large", "Run too large", "the run record (workflow, input and request"
                    + " together) is " + record.length + " bytes; a run record holds at most " + publisher.maxData())
                    .exception();
        }
    }

    /**
     * The data of {@code workflow.<runId>.start}: the run as the scheduler is to start it (with the
     * stored version it runs, which the scheduler writes into the record too), and the revision at
     * which the api wrote it (0: not written, the scheduler creates it).
     */
    static ObjectNode startData(ObjectMapper mapper, CompiledWorkflow workflow, JsonNode input, JsonNode trigger,
                                long revision, Instant createdAt) {
        ObjectNode data = mapper.createObjectNode();
        data.set("workflow", workflow.serialized());
        if (workflow.version() != null) {
            data.put("workflowVersion", workflow.version());
        }
        if (input != null) {
            data.set("input", input);
        }
        if (trigger != null) {
            data.set("trigger", trigger);
        }
        // What was just written (if anything), so that the scheduler need not read it back.
        data.putObject("pending").put("revision", revision).put("createdAt", createdAt.toString());
        return data;
    }

    /** Watches a run that is already under way (see {@link RunWatcher}). */
    public RunWatcher.Watch watch(String runId, Awaited awaited) {
        try {
            return watcher.open(runId, awaited);
        } catch (IllegalStateException e) {
            throw KvBucket.unavailable("watching run " + runId, e);
        }
    }

    public Optional<Run> get(String runId) {
        if (!Subjects.RUN_ID.matcher(runId).matches()) {
            return Optional.empty();
        }
        try {
            return store.get(runId).map(RunStore.Versioned::run);
        } catch (IllegalStateException e) {
            throw KvBucket.unavailable("reading run " + runId, e);
        }
    }

    public Run require(String runId) {
        return get(runId).orElseThrow(() -> unknownRun(runId));
    }

    /**
     * The run once one of its end events has arrived. The scheduler publishes the end only after
     * its write of the finished run is acknowledged, but on a clustered NATS a follower of the
     * bucket may answer a read without that write for a while (nats-server before 2.12 has no
     * read-after-write for such reads): a record read that way and not finished is read again
     * from the bucket's leader.
     */
    public Run requireEnded(String runId) {
        Optional<Run> run = get(runId);
        if (run.isEmpty() || !run.get().status().finished()) {
            Optional<RunStore.Versioned> leaders;
            try {
                leaders = store.getFromLeader(runId);
            } catch (IllegalStateException e) {
                throw KvBucket.unavailable("reading run " + runId, e);
            }
            if (leaders.isEmpty() || !leaders.get().run().status().finished()) {
                // Never expected: the scheduler publishes a run's end only after writing it.
                LOG.warnf("run %s: its end event came, but its record says %s (read: %s)", runId,
                        leaders.map(v -> v.run().status() + " at revision " + v.revision()).orElse("nothing"),
                        run.map(r -> r.status().name()).orElse("nothing"));
            }
            if (leaders.isPresent()) {
                run = leaders.map(RunStore.Versioned::run);
            }
        }
        return run.orElseThrow(() -> unknownRun(runId));
    }

    static ProblemException unknownRun(String runId) {
        return Problem.of(404, "unknown-run", "Unknown run", "there is no run '" + runId + "' (finished runs are"
                + " kept for ninetail.retention)").with("runId", runId).exception();
    }

    /**
     * Runs newest first, matching the filters, after {@code cursor} (a run id from a previous
     * page). At most {@code scan} records are read per page; {@code next} continues from there.
     */
    public Page list(String workflow, RunStatus status, int limit, String cursor, int scan) {
        List<String> ids = new ArrayList<>(runs().keys());
        ids.sort(Comparator.reverseOrder());
        List<Run> page = new ArrayList<>();
        int read = 0;
        String last = null;
        for (String id : ids) {
            if (cursor != null && id.compareTo(cursor) >= 0) {
                continue;
            }
            if (page.size() == limit || read == scan) {
                return new Page(page, last);
            }
            read++;
            last = id;
            Optional<Run> run = get(id);
            if (run.isPresent() && (workflow == null || workflow.equals(run.get().workflow()))
                    && (status == null || status == run.get().status())) {
                page.add(run.get());
            }
        }
        return new Page(page, null);
    }

    /** Publishes {@code workflow.<runId>.cancel} (id {@code <runId>.cancel}: asking twice is asking once). */
    public void cancel(String runId) {
        ObjectNode data = mapper.createObjectNode();
        data.put("runId", runId);
        data.put("requestedAt", Instant.now().toString());
        String subject = Subjects.workflowCancel(runId);
        try {
            commands.send(subject, event(runId, runId + ".cancel", subject, json(data)))
                    .get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw commands.unavailable("publishing the cancel of run " + runId, e);
        }
    }

    /**
     * For {@code ?wait=}: waits (holding no thread) until the run ends or {@code wait} passes,
     * then answers 200 with the finished run, or 202 while it still runs.
     */
    public Uni<Response> answerWhenFinished(Started started, Duration wait, RunViews views) {
        return Uni.createFrom().completionStage(started.watch().settled())
                .ifNoItem().after(wait).recoverWithItem(() -> null)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(signal -> {
                    Run run = signal == null ? require(started.runId()) : requireEnded(started.runId());
                    return run.status().finished() ? Response.ok(views.run(shown(run))).build()
                            : Response.accepted(views.accepted(run)).build();
                })
                .onTermination().invoke(started.watch()::close);
    }

    /** A run's output, also when its record names it instead of holding it. */
    public JsonNode output(Run run) {
        if (run.output() != null || run.outputRef() == null) {
            return run.output();
        }
        try {
            return mapper.readTree(outputs.read(run.outputRef()));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The run as {@code GET /runs/{id}} shows it: outputs its record names instead of holding are
     * read back, up to {@link #SHOWN_OUTPUT_MAX} each; a larger one, or one gone with the retention,
     * stays a reference.
     */
    public Run shown(Run run) {
        // The run's output is its response block's: the same reference, read once.
        Map<String, Optional<JsonNode>> read = new HashMap<>();
        Function<String, JsonNode> readBack = reference -> reference == null ? null
                : read.computeIfAbsent(reference, this::readBack).orElse(null);
        Run shown = run;
        for (Map.Entry<String, BlockRun> block : run.blocks().entrySet()) {
            JsonNode output = readBack.apply(block.getValue().outputRef());
            if (output != null) {
                shown = shown.withBlock(block.getKey(), block.getValue().withOutput(output));
            }
        }
        JsonNode output = readBack.apply(run.outputRef());
        return output == null ? shown : shown.withOutput(output);
    }

    private Optional<JsonNode> readBack(String reference) {
        try {
            Optional<byte[]> bytes = outputs.read(reference, SHOWN_OUTPUT_MAX);
            return bytes.isEmpty() ? Optional.empty() : Optional.of(mapper.readTree(bytes.get()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The start may have been stored after all (a publish that timed out): a FAILED record, written
     * before the scheduler writes its own, keeps it from running. A record the scheduler wrote
     * already stays as it is.
     */
    private void markNotStarted(Run run, Exception cause) {
        BlockError error = new BlockError("START_FAILED", "the api could not publish the run's start: " + cause, true,
                Map.of());
        try {
            Optional<RunStore.Versioned> current = store.get(run.runId());
            if (current.isEmpty()) {
                store.create(run.finished(RunStatus.FAILED, null, error, Instant.now()));
            } else if (current.get().run().status() == RunStatus.PENDING) {
                store.update(current.get().run().finished(RunStatus.FAILED, null, error, Instant.now()),
                        current.get().revision());
            }
        } catch (RuntimeException | RunStore.Conflict ignored) {
            // NATS is down: the record stays PENDING, and says so by never starting
        }
    }

    private Event event(String runId, String id, String subject, byte[] data) {
        return new Event(id, SOURCE, Subjects.eventType(subject), OffsetDateTime.now(ZoneOffset.UTC), runId, null, 1,
                data);
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private KvBucket runs() {
        KvBucket current = runsBucket;
        if (current == null) {
            current = new KvBucket(publisher.connection(), Topology.RUNS_BUCKET);
            runsBucket = current;
        }
        return current;
    }
}
