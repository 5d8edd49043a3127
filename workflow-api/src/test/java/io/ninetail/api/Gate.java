package io.ninetail.api;

import io.ninetail.testing.LocalHttpServer.Recorded;
import io.ninetail.testing.LocalHttpServer.Reply;
import io.ninetail.testing.LocalHttpServer.Route;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A page that answers only when the test opens the gate: a block that is slow for exactly as long as needed. */
final class Gate implements Route {

    private final CountDownLatch open = new CountDownLatch(1);
    private final CountDownLatch arrived;
    private final Reply reply;

    Gate(Reply reply) {
        this(reply, 1);
    }

    /** @param expected how many requests {@link #awaitRequests()} waits for */
    Gate(Reply reply, int expected) {
        this.reply = reply;
        this.arrived = new CountDownLatch(expected);
    }

    @Override
    public Reply answer(Recorded request) throws InterruptedException {
        arrived.countDown();
        if (!open.await(2, TimeUnit.MINUTES)) {
            return Reply.text(503, "text/plain", "the test never opened the gate");
        }
        return reply;
    }

    /** Waits until the expected number of requests are held at the gate. */
    void awaitRequests() throws InterruptedException {
        if (!arrived.await(90, TimeUnit.SECONDS)) {
            throw new AssertionError(arrived.getCount() + " requests never reached the gate");
        }
    }

    void awaitRequest() throws InterruptedException {
        awaitRequests();
    }

    void open() {
        open.countDown();
    }
}
