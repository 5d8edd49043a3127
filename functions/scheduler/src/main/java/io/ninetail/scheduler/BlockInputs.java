package io.ninetail.scheduler;

import io.ninetail.core.event.Event;
import io.ninetail.core.event.EventRoute;
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

    private final EventRoute route;

    public BlockInputs(EventPublisher publisher,
                       @ConfigProperty(name = "ninetail.scheduler.knative.enabled", defaultValue = "false") boolean knative,
                       @ConfigProperty(name = "ninetail.scheduler.knative.sink") Optional<URI> sink) {
        this.route = EventRoute.of(publisher, knative, sink, TIMEOUT, "ninetail.scheduler.knative", "block inputs");
    }

    /** Created at start-up, so that Knative mode without a broker fails the start, not the first run. */
    void createdAtStartUp(@Observes StartupEvent event) {
    }

    public CompletableFuture<?> send(String subject, Event input) {
        return route.send(subject, input);
    }
}
