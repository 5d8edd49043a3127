package io.ninetail.core.event;

import io.ninetail.core.nats.EventPublisher;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where an app sends the events that another app takes: JetStream by default, or in Knative mode
 * the broker (a SinkBinding's {@code K_SINK}), POSTed as binary-mode CloudEvents. Either way the
 * future completes once the event is stored (the stream's acknowledgement, or the broker's 2xx)
 * and fails otherwise.
 */
public final class EventRoute {

    private final EventPublisher publisher;
    private final BrokerSink broker;

    private EventRoute(EventPublisher publisher, BrokerSink broker) {
        this.publisher = publisher;
        this.broker = broker;
    }

    /**
     * @param settings the prefix of the app's Knative settings ({@code <settings>.enabled},
     *                 {@code <settings>.sink}), named when Knative mode has no broker to send to
     * @param what     what the app sends, for that message
     * @throws IllegalStateException in Knative mode without a broker address
     */
    public static EventRoute of(EventPublisher publisher, boolean knative, Optional<URI> sink, Duration timeout,
                                String settings, String what) {
        if (!knative) {
            return new EventRoute(publisher, null);
        }
        URI address = sink.orElseThrow(() -> new IllegalStateException(settings + ".enabled=true but there is no"
                + " broker to send " + what + " to: set " + settings + ".sink, or K_SINK (a SinkBinding does)"));
        return new EventRoute(publisher, new BrokerSink(address, timeout));
    }

    /** Sends {@code event}: on {@code subject} in JetStream, or to the broker. */
    public CompletableFuture<?> send(String subject, Event event) {
        return broker != null ? broker.send(event) : publisher.publish(subject, event);
    }

    public boolean viaBroker() {
        return broker != null;
    }
}
