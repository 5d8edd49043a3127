package io.ninetail.core.block.trigger;

import io.ninetail.core.event.InvalidEventException;
import io.quarkus.arc.properties.IfBuildProperty;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A CloudEvent POSTed to a function that is not a Ninetail block input (no {@code runid},
 * bad {@code attempt}, data that is not JSON) is answered 400 with an RFC 9457 problem that
 * names the attribute, not a 500.
 */
@ApplicationScoped
@IfBuildProperty(name = "ninetail.block-function", stringValue = "true")
public class InvalidEventResponder {

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::answer);
    }

    private void answer(RoutingContext context) {
        InvalidEventException invalid = find(context.failure());
        if (invalid == null || context.response().headWritten()) {
            context.next();
            return;
        }
        context.response().setStatusCode(400).putHeader("content-type", "application/problem+json")
                .end(new JsonObject()
                        .put("type", "https://ninetail.io/problems/invalid-event")
                        .put("title", "Not a Ninetail block input")
                        .put("status", 400)
                        .put("detail", invalid.getMessage())
                        .encode());
    }

    private static InvalidEventException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidEventException invalid) {
                return invalid;
            }
        }
        return null;
    }
}
