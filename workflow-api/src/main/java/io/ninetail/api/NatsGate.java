package io.ninetail.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.ninetail.core.nats.NatsConnection;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;

/**
 * While the api's connection to NATS is down or reconnecting, requests that need NATS are answered
 * 503 at once, with {@code Retry-After}, instead of each waiting out JetStream's request timeouts
 * (seconds per request, several per request) to say the same. Health checks, metrics and the
 * schema are served as usual.
 */
@ApplicationScoped
public class NatsGate {

    private static final List<String> NEED_NATS = List.of("/workflows", "/runs", "/hooks");
    private static final String SCHEMA = "/workflows/schema";

    private final NatsConnection nats;
    private final ObjectMapper mapper;

    public NatsGate(NatsConnection nats, ObjectMapper mapper) {
        this.nats = nats;
        this.mapper = mapper;
    }

    void install(@Observes Router router) {
        // After the AccessGuard: who may call is said before whether NATS is there.
        router.route().order(Integer.MIN_VALUE + 200).handler(this::check);
    }

    private void check(RoutingContext context) {
        Connection.Status status = nats.status();
        if (status != Connection.Status.CONNECTED && needsNats(context.normalizedPath())) {
            context.response().putHeader("Retry-After", "1");
            Problem.of(503, "nats-unavailable", "NATS is unavailable", "the api's connection to NATS is "
                    + status + "; nothing was done, try again shortly").send(context, mapper);
            return;
        }
        context.next();
    }

    private static boolean needsNats(String path) {
        return !path.equals(SCHEMA)
                && NEED_NATS.stream().anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"));
    }
}
