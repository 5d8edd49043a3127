package io.ninetail.core.nats;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.api.PublishAck;
import io.ninetail.core.event.Event;
import io.ninetail.core.event.NatsEventCodec;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes events into JetStream in CloudEvents binary mode on the process's one connection
 * ({@link NatsConnection}). Completes when the stream has stored the event.
 */
@ApplicationScoped
public class EventPublisher {

    /** Room left in a message for the ce-* and NATS headers. */
    private static final int HEADER_ROOM = 4 * 1024;

    private final NatsConnection connection;
    private final PayloadStore payloads;
    private volatile JetStream jetStream;

    public EventPublisher(NatsConnection connection, PayloadStore payloads) {
        this.connection = connection;
        this.payloads = payloads;
    }

    /**
     * Publishes {@code event} on {@code subject}. Data too large for one message is put in the
     * payload store first (on a worker thread) and the message carries a {@code ce-dataref}.
     */
    public CompletableFuture<PublishAck> publish(String subject, Event event) {
        if (event.data().length <= maxData()) {
            return jetStream().publishAsync(subject, NatsEventCodec.headers(event), event.data());
        }
        return CompletableFuture
                .supplyAsync(() -> payloads.put(event.id(), event.data()), Infrastructure.getDefaultWorkerPool())
                .thenCompose(reference -> jetStream().publishAsync(subject,
                        NatsEventCodec.headers(event).put(NatsEventCodec.DATA_REF, reference), new byte[0]));
    }

    /** The largest data an event may carry on this connection. */
    public long maxData() {
        return connection().getMaxPayload() - HEADER_ROOM;
    }

    public Connection connection() {
        return connection.get();
    }

    private JetStream jetStream() {
        JetStream js = jetStream;
        if (js == null) {
            try {
                js = connection().jetStream();
            } catch (IOException e) {
                throw new IllegalStateException("JetStream is not available on this connection", e);
            }
            jetStream = js;
        }
        return js;
    }
}
