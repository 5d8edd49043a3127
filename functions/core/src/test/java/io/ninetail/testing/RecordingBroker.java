package io.ninetail.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Knative broker's ingress for tests, on a {@link LocalHttpServer}: it takes every event POSTed
 * to {@code /} (202) and remembers it; {@code GET /received} lists them as JSON ({@code [{<header
 * in lower case>: value, …, "body": text}]}) and {@code POST /refuse-next} makes it answer the next
 * event 503. Over HTTP because a Quarkus test profile and its test may not share a class loader.
 */
public final class RecordingBroker {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalHttpServer.Reply EMPTY_204 = new LocalHttpServer.Reply(204, Map.of(), new byte[0]);

    private RecordingBroker() {
    }

    public static LocalHttpServer start() {
        AtomicBoolean refuseNext = new AtomicBoolean();
        LocalHttpServer server = new LocalHttpServer();
        return server.route("/", request -> new LocalHttpServer.Reply(refuseNext.getAndSet(false) ? 503 : 202,
                        Map.of(), new byte[0]))
                .route("/refuse-next", request -> {
                    refuseNext.set(true);
                    return EMPTY_204;
                })
                .route("/received", request -> {
                    ArrayNode received = JSON.createArrayNode();
                    for (LocalHttpServer.Recorded event : server.requests("/")) {
                        ObjectNode item = received.addObject();
                        event.headers().forEach((name, values) -> item.put(name.toLowerCase(), values.get(0)));
                        item.put("body", event.bodyText());
                    }
                    return LocalHttpServer.Reply.text(200, "application/json", received.toString());
                });
    }
}
