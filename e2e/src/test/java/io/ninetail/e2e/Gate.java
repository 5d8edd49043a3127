package io.ninetail.e2e;

import io.ninetail.testing.LocalHttpServer.Recorded;
import io.ninetail.testing.LocalHttpServer.Reply;
import io.ninetail.testing.LocalHttpServer.Route;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;

/**
 * A page that holds every request until the test opens it: fetches that stay in flight exactly as
 * long as a test needs (a crash in the middle of them, a cancel before they answer).
 */
final class Gate implements Route {

    private final CountDownLatch open = new CountDownLatch(1);
    private final AtomicInteger arrived = new AtomicInteger();
    private final Function<Recorded, Reply> reply;

    Gate(Function<Recorded, Reply> reply) {
        this.reply = reply;
    }

    @Override
    public Reply answer(Recorded request) throws InterruptedException {
        arrived.incrementAndGet();
        if (!open.await(3, TimeUnit.MINUTES)) {
            return Reply.text(503, "text/plain", "the test never opened the gate");
        }
        return reply.apply(request);
    }

    /** Waits until {@code count} requests have reached the gate (they are held there if it is closed). */
    void awaitArrivals(int count, Duration timeout) {
        await(count + " requests at the gate").atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> arrived.get() >= count);
    }

    int arrivals() {
        return arrived.get();
    }

    void open() {
        open.countDown();
    }
}
