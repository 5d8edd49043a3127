package io.ninetail.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.ninetail.core.nats.EventPublisher;
import io.ninetail.core.nats.LeaderKvGet;
import io.ninetail.core.nats.PayloadStore;
import io.ninetail.core.nats.Topology;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Run control blocks in the {@code runs} bucket. Every write is a compare-and-set on the
 * entry's revision, so replicas that change the same run at once never lose an update: the
 * loser gets {@link Conflict} and starts again from what the winner wrote.
 */
@ApplicationScoped
public class RunStore {

    /** JetStream's "wrong last sequence": someone else wrote the entry first. */
    private static final int WRONG_LAST_SEQUENCE = 10071;
    private static final Duration LEADER_READ_TIMEOUT = Duration.ofSeconds(5);

    /** A run as read, with the revision a write must name (KV revisions start at 1; 0: not stored). */
    public record Versioned(Run run, long revision) {
    }

    /** Another writer got there first. */
    public static final class Conflict extends Exception {
        Conflict(String runId) {
            super("run " + runId + " changed meanwhile", null, false, false);
        }
    }

    private final EventPublisher publisher;
    private final PayloadStore payloads;
    private final ObjectMapper mapper;
    private volatile KeyValue bucket;

    public RunStore(EventPublisher publisher, PayloadStore payloads, ObjectMapper mapper) {
        this.publisher = publisher;
        this.payloads = payloads;
        this.mapper = mapper;
    }

    /**
     * The run as a replica of the bucket has it: on a clustered NATS possibly a write behind
     * (see {@link #getFromLeader}).
     */
    public Optional<Versioned> get(String runId) {
        try {
            return versioned(bucket().get(runId));
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("cannot read run " + runId, e);
        }
    }

    /**
     * The run with every acknowledged write applied, for a reader that knows of a write a replica
     * may not have yet: an event the write preceded, a compare-and-set that lost to it.
     */
    public Optional<Versioned> getFromLeader(String runId) {
        try {
            return versioned(LeaderKvGet.get(publisher.connection(), Topology.RUNS_BUCKET, runId, LEADER_READ_TIMEOUT)
                    .orElse(null));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read run " + runId, e);
        }
    }

    private Optional<Versioned> versioned(KeyValueEntry entry) throws IOException {
        if (entry == null || entry.getValue() == null) {
            return Optional.empty();
        }
        return Optional.of(new Versioned(mapper.readValue(entry.getValue(), Run.class), entry.getRevision()));
    }

    /** Writes a new run; {@link Conflict} when one with this id exists. */
    public long create(Run run) throws Conflict {
        try {
            return bucket().create(run.runId(), encode(run));
        } catch (JetStreamApiException e) {
            throw conflictOr(e, run.runId());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write run " + run.runId(), e);
        }
    }

    /** Replaces the run if it is still at {@code revision}; {@link Conflict} otherwise. */
    public long update(Run run, long revision) throws Conflict {
        try {
            return bucket().update(run.runId(), encode(run), revision);
        } catch (JetStreamApiException e) {
            throw conflictOr(e, run.runId());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write run " + run.runId(), e);
        }
    }

    /**
     * The run as JSON, small enough for one KV value: a run output that would not fit is moved
     * to the payload store (large block outputs are already there, see Scheduler).
     */
    byte[] encode(Run run) throws IOException {
        byte[] json = mapper.writeValueAsBytes(run);
        if (json.length <= publisher.maxData() || run.output() == null) {
            return json;
        }
        String reference = payloads.put("run/" + run.runId() + "/output", mapper.writeValueAsBytes(run.output()));
        return mapper.writeValueAsBytes(run.withOutputRef(reference));
    }

    private static Conflict conflictOr(JetStreamApiException e, String runId) {
        if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
            return new Conflict(runId);
        }
        throw new IllegalStateException("cannot write run " + runId + ": " + e.getMessage(), e);
    }

    private KeyValue bucket() throws IOException {
        KeyValue current = bucket;
        if (current == null) {
            current = publisher.connection().keyValue(Topology.RUNS_BUCKET);
            bucket = current;
        }
        return current;
    }
}
