package io.ninetail.api;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.ninetail.core.nats.EventPublisher;
import io.ninetail.core.nats.Subjects;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Waits for what a run does, without a thread per waiter and, for what waiters usually await,
 * without a subscription per run. The ends and responses of all runs
 * ({@code workflow.*.response|complete|failed|cancelled}) come through four subscriptions made once,
 * on one dispatcher, and are handed to the watches waiting on that run (token 2 of the subject) in
 * a concurrent map; an event of a run nobody here waits for costs a map look-up. Only a watch that
 * awaits a block state (a webhook whose workflow has no response block) has a subscription of its
 * own, narrowed to that one subject, for as long as it is open.
 *
 * <p>Open the watch <em>before</em> publishing the run's start: {@link #open} returns once
 * nats-server has confirmed the subscriptions the watch needs, so nothing the run does can pass
 * unseen (short of a reconnect; callers read the run record when their wait runs out).
 *
 * <p>The trade-off: every api replica receives the end and response events of every run, a few
 * small messages per run, also of runs that another replica (or nobody) waits for. In exchange
 * nats-server sees no SUB and UNSUB per waiting caller (each of which also invalidates its cache of
 * subject matches), and the api no longer receives every block's progress of the runs it waits on.
 */
@ApplicationScoped
public class RunWatcher {

    /** What waiters usually await, of every run. The core's {@code Subjects} has no wildcard form of these yet. */
    static final List<String> RUN_EVENTS = List.of(
            "workflow.*.response", "workflow.*.complete", "workflow.*.failed", "workflow.*.cancelled");
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

    /** One event of a run: its CloudEvent type ({@code workflow.complete}, {@code workflow.block.completed}…). */
    public record Signal(String type, String blockId, Message message) {

        public boolean isEnd() {
            return type.equals("workflow.complete") || type.equals("workflow.failed") || type.equals("workflow.cancelled");
        }

        public boolean isResponse() {
            return type.equals("workflow.response");
        }

        public boolean isBlockState(String id, String state) {
            return type.equals("workflow.block." + state) && id.equals(blockId);
        }
    }

    /** A caller waiting for one run; close it when done waiting. */
    public final class Watch implements AutoCloseable {
        private final String runId;
        private final Awaited awaited;
        private final CompletableFuture<Signal> settled = new CompletableFuture<>();
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile Subscription ownSubscription;

        private Watch(String runId, Awaited awaited) {
            this.runId = runId;
            this.awaited = awaited;
        }

        /** Completes with the first event that is {@link Awaited awaited}; never once the watch is closed. */
        public CompletableFuture<Signal> settled() {
            return settled;
        }

        private void offer(Signal signal) {
            // The dispatcher may hold an event already routed here when the caller gives up.
            if (!closed.get() && awaited.accepts(signal)) {
                settled.complete(signal);
            }
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            if (awaited.needsRunEvents()) {
                forget(this);
            }
            Subscription own = ownSubscription;
            if (own != null) {
                try {
                    dispatcher.unsubscribe(own);
                } catch (IllegalStateException closing) {
                    // the connection is closing: nothing left to unsubscribe from
                }
            }
        }
    }

    private final Supplier<Connection> connection;
    /** Run id → the watches waiting on its end or response; each list is immutable, replaced whole. */
    private final Map<String, List<Watch>> waiting = new ConcurrentHashMap<>();
    /** Set, under the lock, only once nats-server has confirmed the shared subscriptions. */
    private volatile Dispatcher dispatcher;
    /** Guarded by this; the same as {@code dispatcher} once confirmed. */
    private Dispatcher created;

    @Inject
    public RunWatcher(EventPublisher publisher) {
        this(publisher::connection);
    }

    RunWatcher(Supplier<Connection> connection) {
        this.connection = connection;
    }

    /** Starts watching {@code runId}; the watch settles on the first event that is {@code awaited}. */
    public Watch open(String runId, Awaited awaited) {
        if (runId == null || !Subjects.RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id '" + runId + "' does not match " + Subjects.RUN_ID.pattern());
        }
        Dispatcher events = dispatcher();
        Watch watch = new Watch(runId, awaited);
        if (awaited.needsRunEvents()) {
            waiting.compute(runId, (id, watches) -> with(watches, watch));
        }
        if (awaited.block() != null) {
            Awaited.BlockState block = awaited.block();
            try {
                watch.ownSubscription = events.subscribe(
                        Subjects.blockState(runId, block.blockId(), block.status().token()),
                        message -> watch.offer(new Signal(Subjects.eventType(message.getSubject()), block.blockId(), message)));
                confirm();
            } catch (RuntimeException e) {
                watch.close();
                throw e;
            }
        }
        return watch;
    }

    /** How many runs have open watches on their end or response (a closed watch leaves no entry). */
    int runsWaitedOn() {
        return waiting.size();
    }

    private void route(Message message) {
        String subject = message.getSubject();
        // workflow.<runId>.<event>: token 2 is the run
        int start = subject.indexOf('.') + 1;
        int end = subject.indexOf('.', start);
        List<Watch> watches = end < 0 ? null : waiting.get(subject.substring(start, end));
        if (watches == null) {
            return;
        }
        Signal signal = new Signal(Subjects.eventType(subject), null, message);
        for (Watch watch : watches) {
            watch.offer(signal);
        }
    }

    private void forget(Watch watch) {
        waiting.computeIfPresent(watch.runId, (id, watches) -> {
            List<Watch> rest = new ArrayList<>(watches);
            rest.remove(watch);
            return rest.isEmpty() ? null : List.copyOf(rest);
        });
    }

    private static List<Watch> with(List<Watch> watches, Watch watch) {
        if (watches == null) {
            return List.of(watch);
        }
        List<Watch> more = new ArrayList<>(watches);
        more.add(watch);
        return List.copyOf(more);
    }

    /** The dispatcher with the shared subscriptions in place, made on the first call. */
    private Dispatcher dispatcher() {
        Dispatcher current = dispatcher;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (dispatcher == null) {
                // Kept across a failed confirmation, so that a retry does not subscribe twice.
                if (created == null) {
                    created = connection.get().createDispatcher(this::route);
                    RUN_EVENTS.forEach(created::subscribe);
                }
                confirm();
                dispatcher = created;
            }
            return dispatcher;
        }
    }

    /** Waits until nats-server has processed every SUB sent so far (it answers the PING after them). */
    private void confirm() {
        try {
            connection.get().flush(CONFIRM_TIMEOUT);
        } catch (TimeoutException e) {
            throw new IllegalStateException("nats-server did not confirm the watch's subscriptions within "
                    + CONFIRM_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while subscribing to a run's events", e);
        }
    }

    @PreDestroy
    synchronized void close() {
        if (created != null) {
            try {
                connection.get().closeDispatcher(created);
            } catch (IllegalStateException | IllegalArgumentException closed) {
                // already closed with the connection (jnats says so with either)
            }
        }
    }
}
