package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ninetail.core.event.InvalidEventException;
import io.ninetail.core.nats.EventPublisher;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Knative mode's way in: the broker delivers block results (and run starts and cancels) as
 * CloudEvents POSTed to {@code /}. Each is stored in JetStream on the subject it would have had
 * there ({@code block.<type>.<runId>.<blockId>.output}, {@code workflow.<runId>.start}, …) and
 * only then answered {@code 202}; from there the scheduler's durable consumers handle it exactly
 * as in JetStream mode. So an answer means "stored": the broker may forget the event, and a
 * redelivery of it is dropped by its id ({@code Nats-Msg-Id}). A store that fails is a 503, which
 * the broker retries; an event the scheduler does not take is a 400, which it does not.
 *
 * <p>Only with {@code ninetail.scheduler.knative.enabled=true}.
 */
@ApplicationScoped
public class KnativeEvents {

    private static final Logger LOG = Logger.getLogger(KnativeEvents.class);

    private final EventPublisher publisher;
    private final ObjectMapper mapper;
    private final boolean enabled;

    public KnativeEvents(EventPublisher publisher, ObjectMapper mapper,
                         @ConfigProperty(name = "ninetail.scheduler.knative.enabled", defaultValue = "false") boolean enabled) {
        this.publisher = publisher;
        this.mapper = mapper;
        this.enabled = enabled;
    }

    void register(@Observes Router router) {
        if (enabled) {
            // An event crosses the broker as one NATS message (8 MB at most): anything far larger is refused.
            router.post("/").handler(BodyHandler.create().setBodyLimit(16L * 1024 * 1024)).handler(this::receive);
        }
    }

    private void receive(RoutingContext context) {
        HttpEvents.Routed routed;
        try {
            routed = HttpEvents.read(headers(context), context.body().buffer() == null ? new byte[0]
                    : context.body().buffer().getBytes(), mapper);
        } catch (InvalidEventException e) {
            context.response().setStatusCode(400).putHeader("content-type", "application/problem+json")
                    .end(new JsonObject()
                            .put("type", "https://ninetail.io/problems/invalid-event")
                            .put("title", "Not an event the scheduler takes")
                            .put("status", 400)
                            .put("detail", e.getMessage())
                            .encode());
            return;
        }
        publisher.publish(routed.subject(), routed.event()).whenComplete((ack, failure) -> {
            if (failure != null) {
                LOG.warnf("could not store %s %s: %s", routed.event().type(), routed.event().id(), failure.getMessage());
                context.response().setStatusCode(503).end();
            } else {
                context.response().setStatusCode(202).end();
            }
        });
    }

    private static Map<String, List<String>> headers(RoutingContext context) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        context.request().headers().forEach(header ->
                headers.computeIfAbsent(header.getKey().toLowerCase(), name -> new ArrayList<>()).add(header.getValue()));
        return headers;
    }
}
