package io.ninetail.scheduler;

import io.nats.client.JetStreamApiException;
import io.ninetail.core.nats.EventPublisher;
import io.ninetail.core.nats.Topology;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The timers this replica handed back to JetStream because they were not due yet, by run, so
 * that they can be taken out of {@code SCHEDULER_TIMERS} as soon as their run ends.
 *
 * <p>Every run sets a timer for its earliest deadline (minutes away by default) and nearly every
 * run ends long before it. Left alone, each such timer is delivered again at its due time only
 * to find its run finished: at a hundred runs a second, a hundred deliveries, reads of finished
 * runs and acknowledgements a second, five minutes after the work, that nobody needs. Deleted
 * when the run ends, the timer costs one small request instead. (Deleted, not acknowledged:
 * nats-server ignores an acknowledgement of a message it was told to deliver again later.) A
 * timer whose first delivery comes after its run ended here, as a run of a few milliseconds
 * does, is acknowledged at once.
 *
 * <p>Only an optimisation, never needed for correctness: a replica that restarts forgets what it
 * held, a run that ends on another replica is not seen here, and in both cases the timer's late
 * delivery finds the run finished and is acknowledged then. The memory it takes is bounded by
 * the timers this replica holds back, which the consumer's max-ack-pending bounds. Deletions run
 * on a thread of their own, off the path of the event that ended the run.
 */
@ApplicationScoped
public class HeldTimers {

    private static final Logger LOG = Logger.getLogger(HeldTimers.class);

    /** How many ended runs are remembered, for their timers that arrive after the end. */
    private static final int ENDED_REMEMBERED = 4096;

    private final EventPublisher publisher;
    /** runId → (timer id → the timer's sequence in SCHEDULER_TIMERS). Guarded by this. */
    private final Map<String, Map<String, Long>> byRun = new HashMap<>();
    /** Runs that ended here lately, oldest first. Guarded by this. */
    private final Set<String> ended = Collections.newSetFromMap(new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > ENDED_REMEMBERED;
        }
    });
    private final ExecutorService deletions = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "ninetail-timer-deletions");
        thread.setDaemon(true);
        return thread;
    });

    public HeldTimers(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /**
     * The timer {@code timerId} of run {@code runId}, stored at {@code sequence}, is not due: it
     * goes back to JetStream until then, unless its run has ended already (false), which is
     * common: a run of a few milliseconds ends before its timer's first delivery.
     */
    synchronized boolean hold(String runId, String timerId, long sequence) {
        if (ended.contains(runId)) {
            return false;
        }
        byRun.computeIfAbsent(runId, id -> new HashMap<>()).put(timerId, sequence);
        return true;
    }

    /** The timer has come due and is being handled: its delivery settles it. */
    synchronized void due(String runId, String timerId) {
        Map<String, Long> timers = byRun.get(runId);
        if (timers != null && timers.remove(timerId) != null && timers.isEmpty()) {
            byRun.remove(runId);
        }
    }

    /** The run has ended: its held timers are deleted, JetStream will not deliver them again. */
    void release(String runId) {
        Map<String, Long> timers;
        synchronized (this) {
            ended.add(runId);
            timers = byRun.remove(runId);
        }
        if (timers != null) {
            timers.values().forEach(sequence -> deletions.execute(() -> delete(runId, sequence)));
        }
    }

    private void delete(String runId, long sequence) {
        try {
            publisher.connection().jetStreamManagement()
                    .deleteMessage(Topology.SCHEDULER_TIMERS_STREAM, sequence, false);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            // Harmless: the timer is delivered when due, finds the run finished and is acknowledged.
            LOG.debugf("could not delete timer %d of run %s: %s", sequence, runId, e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        deletions.shutdown();
    }
}
