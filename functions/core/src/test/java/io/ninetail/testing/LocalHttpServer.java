package io.ninetail.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 for tests: routes answer fixed or computed responses, and
 * every request is recorded so tests can assert what a block actually sent.
 */
public final class LocalHttpServer implements AutoCloseable {

    /** A request as the server saw it. */
    public record Recorded(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** What a route answers. */
    public record Reply(int status, Map<String, String> headers, byte[] body) {
        public static Reply text(int status, String contentType, String body) {
            return new Reply(status, Map.of("content-type", contentType), body.getBytes(StandardCharsets.UTF_8));
        }
    }

    @FunctionalInterface
    public interface Route {
        Reply answer(Recorded request) throws Exception;
    }

    private final HttpServer server;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();

    public LocalHttpServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public LocalHttpServer route(String path, Route route) {
        routes.put(path, route);
        return this;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public List<Recorded> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Recorded request = new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()),
                    exchange.getRequestBody().readAllBytes());
            requests.add(request);
            Route route = routes.get(request.path());
            Reply reply;
            try {
                reply = route == null ? Reply.text(404, "text/plain", "no route " + request.path()) : route.answer(request);
            } catch (Exception e) {
                reply = Reply.text(500, "text/plain", e.toString());
            }
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            boolean noBody = "HEAD".equals(request.method()) || reply.body().length == 0;
            exchange.sendResponseHeaders(reply.status(), noBody ? -1 : reply.body().length);
            if (!noBody) {
                exchange.getResponseBody().write(reply.body());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
