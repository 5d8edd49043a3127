package io.ninetail.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The web site the fetch blocks read, on 127.0.0.1 and a free port: {@code /page} is the
 * {@link ScrapePage}, {@code /small} a few hundred bytes. Every answer can be held back by a
 * fixed delay, which stands for a remote site's latency; the delay is a timer, not a sleeping
 * thread, so a thousand waiting requests cost nothing.
 */
public final class PageServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService delays;
    private final Duration delay;
    private final ScrapePage page;
    private final byte[] pageBytes;
    private final byte[] smallBytes;
    private final AtomicLong served = new AtomicLong();

    private PageServer(HttpServer server, Duration delay) {
        this.server = server;
        this.delay = delay;
        this.page = ScrapePage.at(origin());
        this.pageBytes = page.html().getBytes(StandardCharsets.UTF_8);
        this.smallBytes = "<!doctype html><html><head><title>small</title></head><body><p>A small page.</p></body></html>\n"
                .getBytes(StandardCharsets.UTF_8);
        this.handlers = Executors.newFixedThreadPool(4, daemon("page-server"));
        this.delays = Executors.newSingleThreadScheduledExecutor(daemon("page-server-delay"));
        server.setExecutor(handlers);
        server.createContext(ScrapePage.PATH, exchange -> answer(exchange, pageBytes));
        server.createContext("/small", exchange -> answer(exchange, smallBytes));
        server.start();
    }

    /** A server that answers every request after {@code delay} (zero: at once). */
    public static PageServer start(Duration delay) throws IOException {
        // The JDK's server writes the headers and the body in separate segments; with Nagle's
        // algorithm on, the body waits for the client's delayed ACK: 40 ms added to every
        // answer on Linux, which the bench would blame on the engine. Read once, at the first server.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        return new PageServer(server, delay);
    }

    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String pageUrl() {
        return origin() + ScrapePage.PATH;
    }

    public String smallUrl(int i) {
        return origin() + "/small?i=" + i;
    }

    public ScrapePage page() {
        return page;
    }

    public Duration delay() {
        return delay;
    }

    /** Requests answered so far. */
    public long served() {
        return served.get();
    }

    private void answer(HttpExchange exchange, byte[] body) {
        try {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            exchange.close();
            return;
        }
        if (delay.isZero()) {
            write(exchange, body);
        } else {
            delays.schedule(() -> handlers.execute(() -> write(exchange, body)), delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void write(HttpExchange exchange, byte[] body) {
        try (exchange) {
            exchange.getResponseHeaders().set("content-type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            served.incrementAndGet();
        } catch (IOException e) {
            // The client went away (a timed-out fetch): nothing to answer.
        }
    }

    @Override
    public void close() {
        server.stop(0);
        delays.shutdownNow();
        handlers.shutdownNow();
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
