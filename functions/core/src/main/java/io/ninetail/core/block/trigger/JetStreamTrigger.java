package io.ninetail.core.block.trigger;

import io.nats.client.ConsumerContext;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.api.AckPolicy;
import io.nats.client.ConsumeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.ninetail.core.block.BlockError;
import io.ninetail.core.block.BlockRunner;
import io.ninetail.core.event.Event;
import io.ninetail.core.event.InvalidEventException;
import io.ninetail.core.event.NatsEventCodec;
import io.ninetail.core.nats.EventPublisher;
import io.ninetail.core.nats.Subjects;
import io.ninetail.core.nats.Subjects.BlockAddress;
import io.ninetail.core.nats.Subjects.BlockLeg;
import io.ninetail.core.nats.Topology;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The JetStream trigger: the durable pull consumer {@code block-<type>} on {@code BLOCK_INPUT},
 * shared by every replica of the function, so each task goes to one replica.
 *
 * <p>An input is acknowledged only after its result is stored in {@code BLOCK_RESULT}. While a
 * block runs, the trigger tells JetStream it is still in progress, so the ack-wait can stay
 * short: the inputs of a replica that dies are redelivered to another replica after one
 * ack-wait, and a slow block on a live replica is never redelivered. At most
 * {@code ninetail.block.concurrency} inputs run at once per replica; none runs on the NATS
 * dispatcher or an event loop.
 *
 * <p>Why not the messaging connector's channel: it requires its own {@code message.type} header
 * and deserialises every payload itself, which the CloudEvents NATS binding does not carry, and
 * a message it cannot read stops its subscription. jnats' consumer API has neither problem; the
 * connection is still the connector's.
 */
@ApplicationScoped
@IfBuildProperty(name = "ninetail.block-function", stringValue = "true")
public class JetStreamTrigger {

    private static final Logger LOG = Logger.getLogger(JetStreamTrigger.class);

    private final BlockRunner runner;
    private final EventPublisher publisher;
    private final boolean enabled;
    private final int concurrency;
    private final Duration ackWait;
    private final int maxDeliver;
    private final Semaphore slots;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ninetail-in-progress");
        thread.setDaemon(true);
        return thread;
    });
    private volatile MessageConsumer consumer;

    public JetStreamTrigger(BlockRunner runner, EventPublisher publisher,
                            @ConfigProperty(name = "ninetail.trigger.jetstream.enabled", defaultValue = "true") boolean enabled,
                            @ConfigProperty(name = "ninetail.block.concurrency", defaultValue = "64") int concurrency,
                            @ConfigProperty(name = "ninetail.block.ack-wait", defaultValue = "PT30S") Duration ackWait,
                            @ConfigProperty(name = "ninetail.block.max-deliver", defaultValue = "5") int maxDeliver) {
        this.runner = runner;
        this.publisher = publisher;
        this.enabled = enabled;
        this.concurrency = concurrency;
        this.ackWait = ackWait;
        this.maxDeliver = maxDeliver;
        this.slots = new Semaphore(concurrency);
    }

    /** The consumer every replica of this block type shares; created once, then left as it is. */
    public ConsumerConfiguration consumerConfiguration() {
        return ConsumerConfiguration.builder()
                .durable(Topology.blockConsumer(runner.type()))
                .description("Inputs of the " + runner.type() + " function, shared by all its replicas")
                .filterSubject(Subjects.blockInputFilter(runner.type()))
                .deliverPolicy(DeliverPolicy.All)
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(ackWait)
                .maxDeliver(maxDeliver)
                .maxAckPending(Math.max(1024, concurrency * 4L))
                .build();
    }

    void onStart(@Observes StartupEvent event) throws IOException, JetStreamApiException {
        if (!enabled) {
            LOG.info("JetStream trigger off (ninetail.trigger.jetstream.enabled=false): inputs arrive over HTTP only");
            return;
        }
        ConsumerConfiguration configuration = consumerConfiguration();
        JetStreamManagement management = publisher.connection().jetStreamManagement();
        if (!management.getConsumerNames(Topology.BLOCK_INPUT_STREAM).contains(configuration.getDurable())) {
            management.addOrUpdateConsumer(Topology.BLOCK_INPUT_STREAM, configuration);
        }
        ConsumerContext context = publisher.connection().getConsumerContext(
                Topology.BLOCK_INPUT_STREAM, configuration.getDurable());
        consumer = context.consume(ConsumeOptions.builder().batchSize(Math.min(concurrency, 256)).build(), this::onMessage);
        LOG.infof("consuming %s as %s, %d at a time", configuration.getFilterSubject(), configuration.getDurable(), concurrency);
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        MessageConsumer running = consumer;
        if (running != null) {
            running.stop();
            // Let the inputs in hand finish; whatever does not is redelivered after the ack-wait.
            if (slots.tryAcquire(concurrency, 10, TimeUnit.SECONDS)) {
                slots.release(concurrency);
            }
        }
        heartbeats.shutdownNow();
    }

    /** Runs on the NATS dispatcher thread: take a slot (back-pressure), hand the work to a worker. */
    private void onMessage(Message message) throws InterruptedException {
        slots.acquire();
        try {
            Infrastructure.getDefaultWorkerPool().execute(() -> process(message));
        } catch (RuntimeException rejected) {
            slots.release();
            message.nak();
        }
    }

    private void process(Message message) {
        ScheduledFuture<?> inProgress = heartbeats.scheduleAtFixedRate(message::inProgress,
                ackWait.toMillis() / 3, ackWait.toMillis() / 3, TimeUnit.MILLISECONDS);
        BlockAddress address;
        try {
            address = Subjects.parseBlockSubject(message.getSubject(), BlockLeg.INPUT);
        } catch (IllegalArgumentException e) {
            // Only a misconfigured filter gets here; there is no one to answer.
            LOG.errorf("dropping message on %s: %s", message.getSubject(), e.getMessage());
            inProgress.cancel(false);
            message.term();
            slots.release();
            return;
        }
        Uni<Event> result;
        try {
            result = execute(address, message);
        } catch (RuntimeException e) {
            result = Uni.createFrom().failure(e);
        }
        result.subscribe().with(
                event -> publish(address, event, message, inProgress),
                failure -> {
                    LOG.errorf(failure, "could not run %s; leaving it for redelivery", message.getSubject());
                    finish(message, inProgress, false);
                });
    }

    private Uni<Event> execute(BlockAddress address, Message message) {
        if (!runner.type().equals(address.type())) {
            return Uni.createFrom().item(runner.badEvent(address, messageId(message), "function '" + runner.type()
                    + "' received an input for block type '" + address.type() + "'"));
        }
        Event input;
        try {
            input = NatsEventCodec.decode(message.getHeaders(), message.getData());
        } catch (InvalidEventException e) {
            return Uni.createFrom().item(runner.badEvent(address, messageId(message), e.getMessage()));
        }
        if (!address.runId().equals(input.runId()) || !address.blockId().equals(input.blockId())) {
            return Uni.createFrom().item(runner.badEvent(address, input.id(), "the event's runid/blockid ("
                    + input.runId() + "/" + input.blockId() + ") do not match its subject"));
        }
        return runner.run(input);
    }

    private void publish(BlockAddress address, Event result, Message message, ScheduledFuture<?> inProgress) {
        Event sendable = result.data().length <= publisher.maxData() ? result
                : runner.replaceWithError(result, BlockError.of(BlockError.OUTPUT_TOO_LARGE, "the output is "
                        + result.data().length + " bytes; one message carries at most " + publisher.maxData(), false));
        BlockLeg leg = sendable.type().endsWith(".output") ? BlockLeg.OUTPUT : BlockLeg.ERROR;
        publisher.publish(address.subject(leg), sendable).whenComplete((ack, failure) -> {
            if (failure != null) {
                // The result id de-duplicates the rerun that redelivery will cause.
                LOG.warnf("could not store the result of %s, leaving the input for redelivery: %s",
                        message.getSubject(), failure.getMessage());
            }
            finish(message, inProgress, failure == null);
        });
    }

    private void finish(Message message, ScheduledFuture<?> inProgress, boolean done) {
        inProgress.cancel(false);
        try {
            if (done) {
                message.ack();
            } else {
                message.nakWithDelay(ackWait);
            }
        } finally {
            slots.release();
        }
    }

    private static String messageId(Message message) {
        String id = message.getHeaders() == null ? null : message.getHeaders().getFirst(NatsEventCodec.MSG_ID);
        return id != null ? id : Topology.BLOCK_INPUT_STREAM + "-" + message.metaData().streamSequence();
    }
}
