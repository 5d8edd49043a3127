package io.ninetail.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load: {@code concurrency} callers, each calling again as soon as its previous
 * call returns, until the time is up or the calls are used up, whichever comes first. So the
 * loop always ends by itself, and at most {@code concurrency} calls are ever in flight.
 *
 * <p>Latencies are the time each call took (no correction for coordinated omission: a caller
 * waits for its answer, as a webhook caller does).
 */
public final class ClosedLoop {

    /** One call. Throwing (including {@link WrongAnswer}) counts it as an error. */
    @FunctionalInterface
    public interface Call {
        void call() throws Exception;
    }

    /** How long a loop may run and how many calls it may make. */
    public record Limits(Duration duration, long maxCalls) {
    }

    private static final int ERROR_SAMPLES = 5;

    private ClosedLoop() {
    }

    public static Measurement run(int concurrency, Limits limits, Call call) throws InterruptedException {
        LatencyRecorder latencies = new LatencyRecorder();
        AtomicLong issued = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<String> samples = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + limits.duration().toNanos();
        ExecutorService callers = Executors.newFixedThreadPool(concurrency, PageServer.daemon("bench-caller"));
        for (int i = 0; i < concurrency; i++) {
            callers.execute(() -> {
                while (System.nanoTime() < deadline && issued.incrementAndGet() <= limits.maxCalls()) {
                    long before = System.nanoTime();
                    try {
                        call.call();
                        latencies.recordNanos(System.nanoTime() - before);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        sample(samples, e);
                    }
                }
            });
        }
        callers.shutdown();
        // Every call is bounded by the api client's timeout, so this bound is never reached by a
        // healthy loop; a stuck one is cut short instead of hanging the bench.
        if (!callers.awaitTermination(limits.duration().plus(ApiClient.CALL_TIMEOUT).plusSeconds(10).toMillis(),
                TimeUnit.MILLISECONDS)) {
            callers.shutdownNow();
            sample(samples, new IllegalStateException("callers still busy after the loop's time; stopped"));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        synchronized (samples) {
            return new Measurement(latencies.latencies(), errors.get(), elapsed, List.copyOf(samples));
        }
    }

    private static void sample(List<String> samples, Exception e) {
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        synchronized (samples) {
            if (samples.size() < ERROR_SAMPLES && !samples.contains(message)) {
                samples.add(message);
            }
        }
    }
}
