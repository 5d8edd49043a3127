package io.ninetail.core.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.quarkiverse.reactive.messaging.nats.jetstream.client.connection.ConnectionFactory;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The process's one NATS connection: made by the messaging connector on first use, then kept for
 * good. jnats reconnects it by itself, forever ({@code connection-attempts} is -1), with every
 * consumer and subscription on it.
 *
 * <p>Kept rather than asked of the connector each time because the connector's
 * {@code ConnectionFactory.create()} makes a new connection whenever the current one is not
 * CONNECTED: during a NATS restart every caller would block on a connect of its own, and once NATS
 * was back publishes would go out on a new connection while the consumers and subscriptions stayed
 * on the old one.
 *
 * <p>Every few seconds it checks that JetStream answers on a connection that says CONNECTED, and
 * reconnects one that does not ({@link WedgedConnection}): the api has no consumer that would notice.
 */
@ApplicationScoped
public class NatsConnection {

    private static final Duration WATCH_PERIOD = Duration.ofSeconds(5);
    private static final JetStreamOptions QUICK = JetStreamOptions.builder()
            .requestTimeout(Duration.ofSeconds(1)).build();

    private final ConnectionFactory connections;
    private volatile Connection connection;
    private volatile ScheduledExecutorService watcher;
    private volatile ScheduledFuture<?> watch;
    // Touched by the watcher thread only.
    private int unanswered;

    public NatsConnection(ConnectionFactory connections) {
        this.connections = connections;
    }

    /** The connection; connects on first use (and throws if NATS cannot be reached then). */
    public Connection get() {
        Connection current = connection;
        if (current == null) {
            synchronized (this) {
                current = connection;
                if (current == null) {
                    current = connections.create();
                    connection = current;
                    startWatching();
                }
            }
        }
        return current;
    }

    /** The connection's status, without connecting: DISCONNECTED before the first connect. */
    public Connection.Status status() {
        Connection current = connection;
        return current == null ? Connection.Status.DISCONNECTED : current.getStatus();
    }

    /**
     * Whether JetStream answers now: false at once while disconnected or reconnecting, else after
     * a PING and one request of at most a second each (see {@link #watch}).
     */
    public boolean answersJetStream() {
        Connection current = get();
        if (current.getStatus() != Connection.Status.CONNECTED) {
            return false;
        }
        try {
            current.flush(QUICK.getRequestTimeout());
            current.jetStreamManagement(QUICK).getAccountStatistics();
            return true;
        } catch (IOException | JetStreamApiException | TimeoutException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void startWatching() {
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ninetail-nats-watch");
            thread.setDaemon(true);
            return thread;
        });
        watch = watcher.scheduleWithFixedDelay(this::watch, WATCH_PERIOD.toMillis(), WATCH_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Two checks in a row that time out on a CONNECTED connection: wedged. Any answer, even a refusal, is not.
     *
     * <p>A PING goes first, bounded by the check's own second: a request on a wedged connection
     * would wait for jnats' flush after publishing it, for the whole connection timeout (10 s), and
     * the wedge would take half a minute to find.
     */
    private void watch() {
        Connection current = connection;
        try {
            if (current.getStatus() == Connection.Status.CONNECTED) {
                current.flush(QUICK.getRequestTimeout());
                current.jetStreamManagement(QUICK).getAccountStatistics();
            }
            unanswered = 0;
        } catch (JetStreamApiException | RuntimeException answeredOrClosing) {
            unanswered = 0;
        } catch (IOException | TimeoutException timedOut) {
            if (++unanswered >= 2) {
                unanswered = 0;
                WedgedConnection.reconnect(current, "nats connection");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stopWatching(@Observes ShutdownEvent shutdown) {
        if (watch != null) {
            watch.cancel(false);
            watcher.shutdown();
        }
    }
}
