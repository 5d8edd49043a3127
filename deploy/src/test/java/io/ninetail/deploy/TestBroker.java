package io.ninetail.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.knative.eventing.v1.SubscriptionsAPIFilter;
import io.fabric8.knative.eventing.v1.Trigger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A Knative broker and its triggers, played in a test: events POSTed to it are answered 202 and
 * then delivered, in binary mode, to every subscriber whose trigger matches (the checked-in
 * Trigger resources, read with the typed model: {@code filter.attributes} and {@code filters} with
 * {@code exact} and {@code any}); a subscriber's reply event goes back into the broker, as
 * Knative's reply handling does. A failed delivery (5xx, no connection) is tried again, a 4xx is
 * not. Every delivery is recorded.
 */
final class TestBroker implements AutoCloseable {

    /** One delivery: which event went to which subscriber, and what came back. */
    record Delivery(String type, String id, String subscriber, int status, String replyType) {
    }

    /** An event taken in: its type and its run. */
    private record Received(String type, String runId) {
    }

    private static final int ATTEMPTS = 10;

    private final List<Trigger> triggers;
    private final Function<String, URI> subscribers;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService deliveries = Executors.newScheduledThreadPool(8);
    private final List<Delivery> log = new CopyOnWriteArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    /** @param subscribers the address of a subscriber (a Knative Service) by name */
    TestBroker(List<Trigger> triggers, Function<String, URI> subscribers) {
        this.triggers = List.copyOf(triggers);
        this.subscribers = subscribers;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::ingress);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    List<Delivery> deliveries() {
        return List.copyOf(log);
    }

    /** The types of the events the broker took in, in order. */
    List<String> received() {
        return received.stream().map(Received::type).toList();
    }

    /** The types of the events of one run the broker took in, in order. */
    List<String> received(String runId) {
        return received.stream().filter(event -> runId.equals(event.runId())).map(Received::type).toList();
    }

    private void ingress(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!"POST".equals(exchange.getRequestMethod()) || headers.get("ce-type") == null) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            try {
                accept(headers, body);
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(500, -1);
                throw e;
            }
            exchange.sendResponseHeaders(202, -1);
        }
    }

    private void accept(Map<String, String> headers, byte[] body) {
        received.add(new Received(headers.get("ce-type"), headers.get("ce-runid")));
        for (Trigger trigger : triggers) {
            if (matches(trigger, headers)) {
                String subscriber = trigger.getSpec().getSubscriber().getRef().getName();
                deliveries.execute(() -> deliver(subscriber, headers, body, 1));
            }
        }
    }

    private void deliver(String subscriber, Map<String, String> headers, byte[] body, int attempt) {
        HttpRequest.Builder request = HttpRequest.newBuilder(subscribers.apply(subscriber))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("ce-") || lower.equals("content-type")) {
                request.header(lower, value);
            }
        });
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String replyType = response.headers().firstValue("ce-type").orElse(null);
            log.add(new Delivery(headers.get("ce-type"), headers.get("ce-id"), subscriber, response.statusCode(), replyType));
            if (response.statusCode() / 100 == 2) {
                if (replyType != null) {
                    Map<String, String> reply = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                    response.headers().map().forEach((name, values) -> reply.put(name, values.get(0)));
                    accept(reply, response.body());
                }
                return;
            }
            if (response.statusCode() / 100 == 4) {
                return;
            }
        } catch (IOException e) {
            log.add(new Delivery(headers.get("ce-type"), headers.get("ce-id"), subscriber, -1, null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (attempt < ATTEMPTS) {
            // the broker's backoff before the next try
            deliveries.schedule(() -> deliver(subscriber, headers, body, attempt + 1), 100L * attempt, TimeUnit.MILLISECONDS);
        }
    }

    static boolean matches(Trigger trigger, Map<String, String> headers) {
        var spec = trigger.getSpec();
        if (present(spec.getFilters())) {
            return spec.getFilters().stream().allMatch(filter -> matches(filter, headers));
        }
        if (spec.getFilter() == null || !present(spec.getFilter().getAttributes())) {
            return true;
        }
        return spec.getFilter().getAttributes().entrySet().stream()
                .allMatch(attribute -> attribute.getValue().equals(attribute(headers, attribute.getKey())));
    }

    private static boolean matches(SubscriptionsAPIFilter filter, Map<String, String> headers) {
        List<Boolean> parts = new ArrayList<>();
        if (present(filter.getExact())) {
            parts.add(filter.getExact().entrySet().stream()
                    .allMatch(attribute -> attribute.getValue().equals(attribute(headers, attribute.getKey()))));
        }
        if (present(filter.getAny())) {
            parts.add(filter.getAny().stream().anyMatch(any -> matches(any, headers)));
        }
        if (present(filter.getAll())) {
            parts.add(filter.getAll().stream().allMatch(all -> matches(all, headers)));
        }
        if (present(filter.getPrefix()) || present(filter.getSuffix()) || filter.getNot() != null
                || (filter.getCesql() != null && !filter.getCesql().isEmpty())) {
            throw new IllegalArgumentException("the test broker knows exact, any and all filters only: " + filter);
        }
        return parts.stream().allMatch(Boolean::booleanValue);
    }

    /** The typed model leaves absent maps and lists empty rather than null. */
    private static boolean present(Object mapOrList) {
        return mapOrList instanceof Map<?, ?> map ? !map.isEmpty()
                : mapOrList instanceof java.util.Collection<?> list && !list.isEmpty();
    }

    private static String attribute(Map<String, String> headers, String name) {
        return headers.get("ce-" + name);
    }

    @Override
    public void close() {
        deliveries.shutdownNow();
        server.stop(0);
    }
}
