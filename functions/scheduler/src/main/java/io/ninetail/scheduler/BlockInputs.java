package io.ninetail.scheduler;

import io.ninetail.core.event.BrokerSink;
import io.ninetail.core.event.Event;
import io.ninetail.core.nats.EventPublisher;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where block inputs go. JetStream mode (the default): the {@code BLOCK_INPUT} stream, where each
 * function's durable consumer takes them. Knative mode ({@code ninetail.scheduler.knative.enabled}):
 * the broker, POSTed as binary-mode CloudEvents to {@code ninetail.scheduler.knative.sink} (the
 * SinkBinding's {@code K_SINK}); a trigger per block type hands each to its function.
 *
 * <p>Either way the future completes when the input is stored (stream acknowledgement, or the
 * broker's 2xx), and fails otherwise, so the run's outbox is sent again.
 */
@ApplicationScoped
public class BlockInputs {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final EventPublisher publisher;
    private final boolean knative;
    private final Optional<URI> sink;
    private final BrokerSink broker;

    public BlockInputs(EventPublisher publisher,
                       @ConfigProperty(name = "ninetail.scheduler.knative.enabled", defaultValue = "false") boolean knative,
                       @ConfigProperty(name = "ninetail.scheduler.knative.sink") Optional<URI> sink) {
        this.publisher = publisher;
        this.knative = knative;
        this.sink = sink;
        this.broker = knative && sink.isPresent() ? new BrokerSink(sink.get(), TIMEOUT) : null;
    }

    void check(@Observes StartupEvent event) {
        if (knative && sink.isEmpty()) {
            throw new IllegalStateException("ninetail.scheduler.knative.enabled=true but there is no broker to send"
                    + " block inputs to: set ninetail.scheduler.knative.sink, or K_SINK (a SinkBinding does)");
        }
    }

    public CompletableFuture<?> send(String subject, Event input) {
        return knative ? broker.send(input) : publisher.publish(subject, input);
    }
}
