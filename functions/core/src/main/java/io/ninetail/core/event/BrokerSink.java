package io.ninetail.core.event;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A Knative broker (a SinkBinding's {@code K_SINK}) as a place to send events to: each is POSTed
 * as a binary-mode CloudEvent, and the future completes when the broker accepted it (2xx).
 * Apps reach it through {@link EventRoute}.
 */
final class BrokerSink {

    private final URI address;
    private final Duration timeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    BrokerSink(URI address, Duration timeout) {
        this.address = address;
        this.timeout = timeout;
    }

    CompletableFuture<HttpResponse<Void>> send(Event event) {
        HttpRequest.Builder request = HttpRequest.newBuilder(address).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.data()));
        // The CloudEvents HTTP and NATS bindings name the attributes alike (ce-*, content-type): the
        // broker gets exactly the headers JetStream would have stored. Nats-Msg-Id is NATS' own; the
        // receiver sets it again from ce-id when it stores the event.
        NatsEventCodec.headers(event).forEach((name, values) -> {
            if (!name.equalsIgnoreCase(NatsEventCodec.MSG_ID)) {
                request.header(name, values.get(0));
            }
        });
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).thenApply(response -> {
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("the broker at " + address + " answered " + response.statusCode()
                        + " to " + event.type() + " " + event.id());
            }
            return response;
        });
    }
}
