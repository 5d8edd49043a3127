package io.ninetail.api;

import io.ninetail.core.event.Event;
import io.ninetail.core.event.EventRoute;
import io.ninetail.core.nats.EventPublisher;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Where a run's start and cancel go (api → scheduler, DESIGN §3). JetStream mode, the default: the
 * {@code WORKFLOW} stream, from which the scheduler's durable consumers take them. Knative mode
 * ({@code ninetail.api.knative.enabled}): the broker, POSTed as binary-mode CloudEvents to
 * {@code ninetail.api.knative.sink} (the {@code K_SINK} of the SinkBinding
 * {@code ninetail-workflow-api}); the trigger {@code ninetail-scheduler-runs} hands them to the
 * scheduler, which stores them in {@code WORKFLOW} before it answers. Either way the future
 * completes once the event is stored (the stream's acknowledgement, or the broker's 2xx) and fails
 * otherwise. Everything else the api does — run records, waiting for a run's events, the response
 * a webhook caller waits for — stays on NATS in both modes.
 */
@ApplicationScoped
public class RunCommands {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final EventRoute route;

    public RunCommands(EventPublisher publisher, ApiConfig config) {
        this.route = EventRoute.of(publisher, config.knative().enabled(), config.knative().sink(), TIMEOUT,
                "ninetail.api.knative", "run starts and cancels");
    }

    /** Created at start-up, so that Knative mode without a broker fails the start, not the first run. */
    void createdAtStartUp(@Observes StartupEvent event) {
    }

    public CompletableFuture<?> send(String subject, Event event) {
        return route.send(subject, event);
    }

    /** The 503 answer when {@link #send} failed: NATS in JetStream mode, the broker in Knative mode. */
    ProblemException unavailable(String what, Throwable cause) {
        if (!route.viaBroker()) {
            return KvBucket.unavailable(what, cause);
        }
        return Problem.of(503, "broker-unavailable", "The event broker is unavailable",
                what + ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()))
                .exception();
    }
}
