package io.ninetail.scheduler;

import io.ninetail.core.run.Run;
import io.ninetail.core.run.RunStore;
import io.ninetail.core.run.RunStore.Versioned;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Empties a run's outbox in KV once its effects are sent, without a write of its own in the
 * usual case.
 *
 * <p>Once this replica has sent a run's outbox, it remembers the run without it
 * ({@link RunCache}), and its next write of the run, usually a few milliseconds later when the
 * dispatched block answers, stores the emptier run anyway. Only a run that has not changed for
 * {@code delay} gets a write that does nothing but empty the outbox, so that a replica taking
 * the run over after a crash does not send those effects again long after JetStream stopped
 * recognising their ids. A finished run is emptied at once: nothing will write it again.
 */
@ApplicationScoped
public class OutboxClearer {

    private static final Logger LOG = Logger.getLogger(OutboxClearer.class);

    private final RunStore store;
    private final RunCache cache;
    private final Duration delay;
    private volatile WriterSlot slot = (runId, action) -> {
        action.run();
        return true;
    };
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ninetail-outbox-clearer");
        thread.setDaemon(true);
        return thread;
    });

    public OutboxClearer(RunStore store, RunCache cache,
                         @ConfigProperty(name = "ninetail.scheduler.outbox-clear-delay", defaultValue = "PT1S") Duration delay) {
        this.store = store;
        this.cache = cache;
        this.delay = delay;
    }

    /** {@code run}'s outbox, written at {@code revision}, has been sent. */
    public void sent(Run run, long revision) {
        Versioned emptied = new Versioned(run.withoutOutbox(), revision);
        if (run.status().finished() || delay.isZero()) {
            clear(emptied);
            return;
        }
        cache.wrote(emptied);
        later.schedule(() -> clearUnlessWritten(emptied), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Delayed clears go through {@code slot}: each runs as its run's only writer here, or not at all
     * while a write of the run is under way ({@link RunBatches#whenIdle}), since that write carries
     * the emptied outbox anyway.
     */
    void writeThrough(WriterSlot slot) {
        this.slot = slot;
    }

    /** Runs an action as a run's only writer in this replica, or not at all (false). */
    @FunctionalInterface
    interface WriterSlot {
        boolean runAlone(String runId, Runnable action);
    }

    private void clearUnlessWritten(Versioned emptied) {
        String runId = emptied.run().runId();
        slot.runAlone(runId, () -> {
            Versioned latest = cache.get(runId);
            if (latest == null || latest.revision() != emptied.revision()) {
                // Written since (the outbox went with that write), or forgotten: a replica that reads
                // the run later sends what is left, and only what is still due (EffectSender).
                return;
            }
            try {
                clear(emptied);
            } catch (RuntimeException e) {
                LOG.debugf("could not empty the outbox of run %s: %s", runId, e.getMessage());
            }
        });
    }

    private void clear(Versioned emptied) {
        try {
            cache.wrote(new Versioned(emptied.run(), store.update(emptied.run(), emptied.revision())));
        } catch (RunStore.Conflict ignored) {
            // The newer state still lists these effects; their ids make sending them again harmless.
            cache.forget(emptied.run().runId());
        }
    }

    @PreDestroy
    void stop() {
        later.shutdownNow();
    }
}
