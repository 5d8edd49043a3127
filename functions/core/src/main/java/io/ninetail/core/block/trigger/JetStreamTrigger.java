package io.ninetail.core.block.trigger;

import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.ninetail.core.block.BlockRunner;
import io.ninetail.core.event.Event;
import io.ninetail.core.event.EventReader;
import io.ninetail.core.event.InvalidEventException;
import io.ninetail.core.event.NatsEventCodec;
import io.ninetail.core.nats.DurableConsumer;
import io.ninetail.core.nats.DurableConsumer.Outcome;
import io.ninetail.core.nats.EventPublisher;
import io.ninetail.core.nats.Subjects;
import io.ninetail.core.nats.Subjects.BlockAddress;
import io.ninetail.core.nats.Subjects.BlockLeg;
import io.ninetail.core.nats.Topology;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The JetStream trigger: the durable pull consumer {@code block-<type>} on {@code BLOCK_INPUT},
 * shared by every replica of the function, so each task goes to one replica.
 *
 * <p>An input is acknowledged only after its result is stored in {@code BLOCK_RESULT}; a
 * replica that dies before that never acknowledged, and JetStream redelivers the input to
 * another replica after the ack-wait ({@link DurableConsumer} keeps a live replica's slow
 * inputs from being redelivered). Results too large for one message travel through the
 * payload store.
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
    private final EventReader reader;
    private final boolean enabled;
    private final int concurrency;
    private final Duration ackWait;
    private final int maxDeliver;
    private volatile DurableConsumer consumer;

    public JetStreamTrigger(BlockRunner runner, EventPublisher publisher, EventReader reader,
                            @ConfigProperty(name = "ninetail.trigger.jetstream.enabled", defaultValue = "true") boolean enabled,
                            @ConfigProperty(name = "ninetail.block.concurrency", defaultValue = "64") int concurrency,
                            @ConfigProperty(name = "ninetail.block.ack-wait", defaultValue = "PT30S") Duration ackWait,
                            @ConfigProperty(name = "ninetail.block.max-deliver", defaultValue = "5") int maxDeliver) {
        this.runner = runner;
        this.publisher = publisher;
        this.reader = reader;
        this.enabled = enabled;
        this.concurrency = concurrency;
        this.ackWait = ackWait;
        this.maxDeliver = maxDeliver;
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
        consumer = DurableConsumer.start(publisher.connection(), Topology.BLOCK_INPUT_STREAM, consumerConfiguration(),
                concurrency, this::handle);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (consumer != null) {
            consumer.close();
        }
    }

    private CompletionStage<Outcome> handle(Message message) {
        BlockAddress address;
        try {
            address = Subjects.parseBlockSubject(message.getSubject(), BlockLeg.INPUT);
        } catch (IllegalArgumentException e) {
            // Only a misconfigured filter gets here; there is no one to answer.
            LOG.errorf("dropping message on %s: %s", message.getSubject(), e.getMessage());
            message.term();
            return CompletableFuture.completedFuture(Outcome.ACK);
        }
        Uni<Event> result;
        try {
            result = execute(address, message);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return result.subscribeAsCompletionStage().thenCompose(event -> {
            BlockLeg leg = event.type().endsWith(".output") ? BlockLeg.OUTPUT : BlockLeg.ERROR;
            // The result id de-duplicates the rerun that a failed publish leads to.
            return publisher.publish(address.subject(leg), event).thenApply(ack -> Outcome.ACK);
        });
    }

    private Uni<Event> execute(BlockAddress address, Message message) {
        if (!runner.type().equals(address.type())) {
            return Uni.createFrom().item(runner.badEvent(address, messageId(message), "function '" + runner.type()
                    + "' received an input for block type '" + address.type() + "'"));
        }
        Event input;
        try {
            input = reader.read(message);
        } catch (InvalidEventException e) {
            return Uni.createFrom().item(runner.badEvent(address, messageId(message), e.getMessage()));
        }
        if (!address.runId().equals(input.runId()) || !address.blockId().equals(input.blockId())) {
            return Uni.createFrom().item(runner.badEvent(address, input.id(), "the event's runid/blockid ("
                    + input.runId() + "/" + input.blockId() + ") do not match its subject"));
        }
        return runner.run(input);
    }

    private static String messageId(Message message) {
        String id = message.getHeaders() == null ? null : message.getHeaders().getFirst(NatsEventCodec.MSG_ID);
        return id != null ? id : Topology.BLOCK_INPUT_STREAM + "-" + message.metaData().streamSequence();
    }
}
