package io.ninetail.testing;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamInfoOptions;
import io.ninetail.core.event.Event;
import io.ninetail.core.event.NatsEventCodec;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * The test's own view of NATS, as an outside actor (a scheduler, an operator) would have it:
 * its own connection, JetStream publishes and plain subscriptions.
 */
public final class JetStreamProbe implements AutoCloseable {

    private final Connection connection;

    public JetStreamProbe(String url) {
        try {
            connection = Nats.connect(url);
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Connection connection() {
        return connection;
    }

    public JetStreamManagement management() {
        try {
            return connection.jetStreamManagement();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes into JetStream and returns the stream's acknowledgement. */
    public PublishAck publish(String subject, Event event) {
        try {
            return connection.jetStream().publish(subject, NatsEventCodec.headers(event), event.data());
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("publish to " + subject + " failed", e);
        }
    }

    /** A subscription that sees every message published on {@code subject} from now on. */
    public Subscription subscribe(String subject) {
        Subscription subscription = connection.subscribe(subject);
        try {
            connection.flush(Duration.ofSeconds(5));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return subscription;
    }

    /** The next message, or an AssertionError naming what was awaited. */
    public static Message next(Subscription subscription, Duration timeout) {
        try {
            Message message = subscription.nextMessage(timeout);
            if (message == null) {
                throw new AssertionError("no message on " + subscription.getSubject() + " within " + timeout);
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next block result ({@code .output} or {@code .error}), passing over inputs on the same wildcard. */
    public static Message nextResult(Subscription subscription, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Duration left = Duration.between(Instant.now(), deadline);
            Message message = next(subscription, left.isNegative() ? Duration.ofMillis(1) : left);
            if (!message.getSubject().endsWith(".input")) {
                return message;
            }
        }
    }

    /**
     * How many messages {@code stream} holds on {@code subject}, which may be a wildcard: the
     * server lists the count of every subject it matches.
     */
    public long messagesOn(String stream, String subject) {
        try {
            var info = management().getStreamInfo(stream, StreamInfoOptions.filterSubjects(subject));
            return info.getStreamState().getSubjects() == null ? 0 : info.getStreamState().getSubjects().stream()
                    .mapToLong(s -> s.getCount()).sum();
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException(e);
        }
    }

    public ConsumerInfo consumer(String stream, String consumer) {
        try {
            return management().getConsumerInfo(stream, consumer);
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
