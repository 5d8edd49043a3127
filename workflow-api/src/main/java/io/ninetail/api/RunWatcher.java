package io.ninetail.api;

import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.ninetail.core.event.NatsEventCodec;
import io.ninetail.core.nats.EventPublisher;
import io.ninetail.core.nats.Subjects;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Waits for what a run does, without a thread per waiter: one plain NATS subscription on
 * {@code workflow.<runId>.>} per waiting caller, all on one dispatcher, each completing a future
 * when the event it waits for arrives. Open the watch <em>before</em> publishing the run's start,
 * so that nothing the run does can pass unseen.
 */
@ApplicationScoped
public class RunWatcher {

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
        private final CompletableFuture<Signal> settled = new CompletableFuture<>();
        private final Predicate<Signal> decisive;
        private volatile Subscription subscription;

        private Watch(Predicate<Signal> decisive) {
            this.decisive = decisive;
        }

        /** Completes with the first event {@code decisive} accepts. */
        public CompletableFuture<Signal> settled() {
            return settled;
        }

        private void onMessage(Message message) {
            if (settled.isDone()) {
                return;
            }
            Signal signal;
            try {
                signal = new Signal(Subjects.eventType(message.getSubject()),
                        message.getHeaders() == null ? null : message.getHeaders().getFirst(NatsEventCodec.BLOCK_ID),
                        message);
            } catch (IllegalArgumentException notOurs) {
                return;
            }
            if (decisive.test(signal)) {
                settled.complete(signal);
            }
        }

        @Override
        public void close() {
            Subscription current = subscription;
            subscription = null;
            if (current != null && current.isActive()) {
                try {
                    dispatcher().unsubscribe(current);
                } catch (IllegalStateException closed) {
                    // the connection is closing: nothing left to unsubscribe from
                }
            }
        }
    }

    private final EventPublisher publisher;
    private volatile Dispatcher dispatcher;

    public RunWatcher(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Starts watching {@code runId}; the watch settles on the first event {@code decisive} accepts. */
    public Watch open(String runId, Predicate<Signal> decisive) {
        Watch watch = new Watch(decisive);
        watch.subscription = dispatcher().subscribe(Subjects.workflowAll(runId), watch::onMessage);
        return watch;
    }

    private Dispatcher dispatcher() {
        Dispatcher current = dispatcher;
        if (current == null) {
            synchronized (this) {
                current = dispatcher;
                if (current == null) {
                    current = publisher.connection().createDispatcher();
                    dispatcher = current;
                }
            }
        }
        return current;
    }

    @PreDestroy
    void close() {
        Dispatcher current = dispatcher;
        if (current != null) {
            try {
                publisher.connection().closeDispatcher(current);
            } catch (IllegalStateException closed) {
                // already closed with the connection
            }
        }
    }
}
