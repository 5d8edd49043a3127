package io.ninetail.scheduler;

import io.ninetail.core.run.RunStore.Versioned;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runs this replica wrote last, with their revisions, so that the next event of a run can
 * be applied without reading the run back from KV first: one round trip less on every hop.
 *
 * <p>An entry is only ever a guess. A write based on it is a compare-and-set on its revision,
 * which fails if anyone (another replica, the api) wrote since; the scheduler then reads the
 * run and applies the event again. A decision <em>not</em> to write (a duplicate, a late
 * result) is never taken on a guess: a stale entry could call new work old.
 */
@ApplicationScoped
public class RunCache {

    private final Map<String, Versioned> runs;

    public RunCache(@ConfigProperty(name = "ninetail.scheduler.run-cache", defaultValue = "256") int capacity) {
        // Bounded because a run holds its small outputs (up to the inline limit each): a busy replica
        // holds the runs in flight, not its whole history.
        this.runs = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Versioned> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized Versioned get(String runId) {
        return runs.get(runId);
    }

    /** Remembers what was just written; a finished run is forgotten, nothing should change it. */
    public synchronized void wrote(Versioned written) {
        if (written.run().status().finished()) {
            runs.remove(written.run().runId());
        } else {
            runs.put(written.run().runId(), written);
        }
    }

    public synchronized void forget(String runId) {
        runs.remove(runId);
    }
}
