package io.ninetail.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Notes the moment a process's {@code /q/health/ready} first answers 200, polling every 10 ms
 * (the resolution of the process start time it is compared with), on the clock of
 * /proc/uptime. Started before the process is, so that its first ready answer is not missed.
 */
public final class ReadinessWatch implements AutoCloseable {

    private static final long POLL_MILLIS = 10;

    private final CompletableFuture<Double> readyAt = new CompletableFuture<>();
    private final Thread poller;
    private volatile boolean stopped;

    private ReadinessWatch(int port, Duration limit) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + limit.toNanos();
        this.poller = new Thread(() -> {
            while (!stopped && System.nanoTime() < deadline) {
                try {
                    if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        readyAt.complete(ProcFs.uptime());
                        return;
                    }
                } catch (IOException notYetListening) {
                    // Connection refused until the process listens: poll again.
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            readyAt.completeExceptionally(new TimeoutException("port " + port + " not ready within " + limit));
        }, "bench-readiness-" + port);
        poller.setDaemon(true);
        poller.start();
    }

    public static ReadinessWatch start(int port, Duration limit) {
        return new ReadinessWatch(port, limit);
    }

    /** Seconds since boot when the process first answered ready. */
    public double readyAt(Duration limit) throws Exception {
        return readyAt.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        stopped = true;
        poller.interrupt();
    }
}
