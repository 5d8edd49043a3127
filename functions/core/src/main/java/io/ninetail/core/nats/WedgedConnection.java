package io.ninetail.core.nats;

import io.nats.client.Connection;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * jnats can come back from a reconnect with a writer that sends nothing (nats-io/nats.java#1522):
 * the connection says CONNECTED, every request times out, and only its stale-connection check,
 * minutes later, would reconnect. A forced reconnect gives it a new socket and writer now; at most
 * once per connection in a while, since everything on it notices at the same time.
 */
final class WedgedConnection {

    private static final Logger LOG = Logger.getLogger(WedgedConnection.class);
    private static final Duration SPACING = Duration.ofSeconds(15);
    private static final Map<Connection, Long> FORCED = Collections.synchronizedMap(new WeakHashMap<>());

    private WedgedConnection() {
    }

    /** Reconnects {@code connection} if it says CONNECTED: {@code who} saw JetStream not answer on it. */
    static void reconnect(Connection connection, String who) {
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            return;
        }
        long now = System.nanoTime();
        Long last = FORCED.get(connection);
        if (last != null && now - last < SPACING.toNanos()) {
            return;
        }
        FORCED.put(connection, now);
        LOG.warnf("%s: the connection is up but JetStream does not answer; reconnecting", who);
        try {
            connection.forceReconnect();
        } catch (IOException e) {
            LOG.warnf("%s: forced reconnect failed: %s", who, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
