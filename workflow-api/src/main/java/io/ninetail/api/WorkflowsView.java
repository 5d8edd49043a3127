package io.ninetail.api;

import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import io.ninetail.core.nats.EventPublisher;
import io.ninetail.core.nats.Topology;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The {@code workflows} bucket as this replica last heard it, kept by a KV watch, so that a
 * webhook call finds its route and its workflow without two round trips to NATS.
 *
 * <p>Only what the watch says exists is answered from memory; anything else (a route created a
 * moment ago, before the watch got it) is read from the bucket. Saves and deletes made through
 * this replica are read back into the view before they return ({@link #refresh}), so a caller
 * always sees its own change; other replicas see it as soon as their watch delivers it,
 * typically within a millisecond. Entries only move forward: an update older than what is
 * held is ignored.
 */
@ApplicationScoped
public class WorkflowsView {

    private static final Logger LOG = Logger.getLogger(WorkflowsView.class);

    private final EventPublisher publisher;
    private final Map<String, KeyValueEntry> entries = new ConcurrentHashMap<>();
    private volatile boolean complete;
    private final List<NatsKeyValueWatchSubscription> watches = new CopyOnWriteArrayList<>();

    public WorkflowsView(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** The entry under {@code key}, from memory when the view holds it, else from {@code bucket}. */
    Optional<KeyValueEntry> get(String key, Function<String, Optional<KeyValueEntry>> bucket) {
        startWatching();
        KeyValueEntry held = entries.get(key);
        if (complete && held != null && held.getOperation() == KeyValueOperation.PUT) {
            return Optional.of(held);
        }
        Optional<KeyValueEntry> read = bucket.apply(key);
        read.ifPresent(this::apply);
        return read;
    }

    /** Reads {@code keys} back from the bucket after this replica changed them. */
    void refresh(Collection<String> keys, Function<String, Optional<KeyValueEntry>> bucket) {
        for (String key : keys) {
            Optional<KeyValueEntry> read = bucket.apply(key);
            if (read.isPresent()) {
                apply(read.get());
            } else {
                entries.remove(key);
            }
        }
    }

    private void apply(KeyValueEntry entry) {
        entries.merge(entry.getKey(), entry, (held, next) -> next.getRevision() >= held.getRevision() ? next : held);
    }

    private void startWatching() {
        if (!watches.isEmpty()) {
            return;
        }
        synchronized (this) {
            if (!watches.isEmpty()) {
                return;
            }
            try {
                KeyValue bucket = publisher.connection().keyValue(Topology.WORKFLOWS_BUCKET);
                // Current versions (a name has no dot: one token) and hook routes, not every version.
                // Two watches: nats-server 2.9 has no consumers with several filters.
                AtomicInteger loading = new AtomicInteger(2);
                for (String filter : List.of("*", HookRoute.KEY_PREFIX + ">")) {
                    watches.add(bucket.watch(filter, new KeyValueWatcher() {
                        @Override
                        public void watch(KeyValueEntry entry) {
                            // Deletes stay as tombstones, so that an older update cannot bring a key back.
                            apply(entry);
                        }

                        @Override
                        public void endOfData() {
                            if (loading.decrementAndGet() == 0) {
                                complete = true;
                            }
                        }
                    }));
                }
            } catch (Exception e) {
                watches.forEach(WorkflowsView::unsubscribe);
                watches.clear();
                // Answer from the bucket until a later call manages to watch it.
                LOG.warnf("cannot watch bucket %s (%s); reading it on every call", Topology.WORKFLOWS_BUCKET,
                        e.getMessage());
            }
        }
    }

    @PreDestroy
    void stop() {
        watches.forEach(WorkflowsView::unsubscribe);
    }

    private static void unsubscribe(NatsKeyValueWatchSubscription watch) {
        try {
            watch.unsubscribe();
        } catch (RuntimeException closing) {
            // the connection is closing with the app
        }
    }
}
