package io.ninetail.scheduler;

import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.ninetail.core.nats.DurableConsumer.Outcome;
import io.ninetail.core.nats.DurableConsumer;
import io.ninetail.core.nats.EventPublisher;
import io.ninetail.core.nats.Subjects;
import io.ninetail.core.nats.Topology;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The scheduler's four durable consumers, shared by all its replicas: run starts and cancels
 * (WORKFLOW), block results (BLOCK_RESULT) and its own timers (SCHEDULER_TIMERS).
 */
@ApplicationScoped
public class SchedulerConsumers {

    /** Something that handles one message and says, now or later, what to do with it. */
    @FunctionalInterface
    interface Handling {
        CompletionStage<Outcome> handle(Message message) throws Exception;
    }

    private final Scheduler scheduler;
    private final EventPublisher publisher;
    private final int concurrency;
    private final Duration ackWait;
    private final long timersWaiting;
    private final List<DurableConsumer> consumers = new ArrayList<>();

    public SchedulerConsumers(Scheduler scheduler, EventPublisher publisher,
                              @ConfigProperty(name = "ninetail.scheduler.concurrency", defaultValue = "64") int concurrency,
                              @ConfigProperty(name = "ninetail.scheduler.ack-wait", defaultValue = "PT30S") Duration ackWait,
                              @ConfigProperty(name = "ninetail.scheduler.timers-waiting", defaultValue = "1000000")
                              long timersWaiting) {
        this.scheduler = scheduler;
        this.publisher = publisher;
        this.concurrency = concurrency;
        this.ackWait = ackWait;
        this.timersWaiting = timersWaiting;
    }

    void onStart(@Observes StartupEvent event) throws IOException, JetStreamApiException {
        long inHand = Math.max(1024, concurrency * 4L);
        // Nothing else would ever start or cancel the run if these gave up: they come back, every
        // ack-wait, until handled (a start that cannot be read is not a failure: it rejects the run).
        consumers.add(start(Topology.WORKFLOW_STREAM, "scheduler-start", Subjects.WORKFLOW_START_ALL, -1, inHand,
                scheduler::onStart));
        consumers.add(start(Topology.WORKFLOW_STREAM, "scheduler-cancel", Subjects.WORKFLOW_CANCEL_ALL, -1, inHand,
                scheduler::onCancel));
        consumers.add(start(Topology.BLOCK_RESULT_STREAM, "scheduler-results", null, 5, inHand, scheduler::onResult));
        // A timer is delivered again and again until it is due: no delivery limit. While it waits it
        // counts as unacknowledged, and every run started in the last block-timeout (5 minutes by
        // default) has one waiting: a limit of a thousand would hold back new timers, retry
        // backoffs among them, once a thousand runs are under way.
        consumers.add(start(Topology.SCHEDULER_TIMERS_STREAM, "scheduler-timers", null, -1, timersWaiting,
                scheduler::onTimer));
    }

    void onStop(@Observes ShutdownEvent event) {
        consumers.forEach(DurableConsumer::close);
    }

    private DurableConsumer start(String stream, String durable, String filter, int maxDeliver, long maxAckPending,
                                  Handling handling) throws IOException, JetStreamApiException {
        ConsumerConfiguration.Builder configuration = ConsumerConfiguration.builder()
                .durable(durable)
                .deliverPolicy(DeliverPolicy.All)
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(ackWait)
                .maxDeliver(maxDeliver)
                .maxAckPending(maxAckPending);
        if (filter != null) {
            configuration.filterSubject(filter);
        }
        return DurableConsumer.start(publisher.connection(), stream, configuration.build(), concurrency,
                message -> handle(handling, message));
    }

    private static CompletionStage<Outcome> handle(Handling handling, Message message) {
        try {
            return handling.handle(message);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
