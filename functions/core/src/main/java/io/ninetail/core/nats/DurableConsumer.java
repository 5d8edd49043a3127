package io.ninetail.core.nats;

import io.nats.client.ConsumeOptions;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A durable JetStream pull consumer worked by a bounded number of concurrent handlers: the
 * one way Ninetail takes work from a stream (block functions, scheduler).
 *
 * <ul>
 *   <li>The consumer is created when absent and left as it is when present, so replicas and
 *       restarts share it without changing it.</li>
 *   <li>At most {@code concurrency} messages are in hand at once; the NATS dispatcher waits for a
 *       free slot, which is the back-pressure. Handlers run on worker threads.</li>
 *   <li>While a handler runs, JetStream is told every ack-wait/3 that the message is in
 *       progress, so a live but slow handler keeps it and a dead process loses it after one
 *       ack-wait.</li>
 *   <li>The handler's stage completing with {@link Outcome} decides: acknowledge, or deliver
 *       again after a delay (the ack-wait unless it says otherwise). A failed stage retries.</li>
 *   <li>After the connection reconnects, consuming starts afresh: a restarted server has forgotten
 *       the pull requests, and jnats' own recovery (a heartbeat alarm) comes late or, when it
 *       fails once, never. A watch every few seconds is the safety net under both: a consumer with
 *       free slots and work waiting that has no pull request open is started afresh too.</li>
 * </ul>
 */
public final class DurableConsumer implements AutoCloseable {

    /**
     * What to do with a handled message: acknowledge it, or have it redelivered after
     * {@code delay} (the ack-wait when null).
     */
    public record Outcome(boolean ack, Duration delay) {
        public static final Outcome ACK = new Outcome(true, null);
        public static final Outcome RETRY = new Outcome(false, null);

        /** Hold the message back and deliver it again after {@code delay}: durable timers. */
        public static Outcome retryAfter(Duration delay) {
            return new Outcome(false, delay);
        }
    }

    @FunctionalInterface
    public interface Handler {
        CompletionStage<Outcome> handle(Message message);
    }

    private static final Logger LOG = Logger.getLogger(DurableConsumer.class);
    private static final ScheduledExecutorService HEARTBEATS = heartbeats();
    /** Resumes wait for JetStream requests: not on the in-progress thread, whose signals must not be late. */
    private static final ScheduledExecutorService RESUMES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ninetail-resume");
        thread.setDaemon(true);
        return thread;
    });
    private static final Duration WATCH_PERIOD = Duration.ofSeconds(5);
    private static final Duration PING_PATIENCE = Duration.ofSeconds(1);
    /** How long start-up keeps asking a JetStream that does not answer. */
    static final Duration START_PATIENCE = Duration.ofSeconds(60);

    /**
     * One timer per message in hand, cancelled when it is settled, mostly long before it fires:
     * removed from the queue on cancel, or thousands of dead timers a second would wait there
     * for their time.
     */
    private static ScheduledExecutorService heartbeats() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "ninetail-in-progress");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private final String stream;
    private final ConsumerConfiguration configuration;
    private final int concurrency;
    private final Semaphore slots;
    private final Handler handler;
    private final Connection connection;
    private final ConnectionListener reconnects = this::onConnectionEvent;
    private volatile MessageConsumer consumer;
    private volatile boolean closed;
    private final AtomicBoolean resuming = new AtomicBoolean();
    // Touched by the RESUMES thread only.
    private int failedResumes;
    private int stalledWatches;
    private int unansweredWatches;
    private volatile ScheduledFuture<?> watch;

    private DurableConsumer(Connection connection, String stream, ConsumerConfiguration configuration, int concurrency,
                            Handler handler) {
        this.connection = connection;
        this.stream = stream;
        this.configuration = configuration;
        this.concurrency = concurrency;
        this.slots = new Semaphore(concurrency);
        this.handler = handler;
    }

    /**
     * Ensures the consumer exists and starts taking messages. A JetStream request that times out
     * (a server busy with other processes starting, or away) is tried again for up to
     * {@link #START_PATIENCE}, and a connection that stays silent while it says CONNECTED is
     * reconnected; an answer that refuses is not tried again.
     */
    public static DurableConsumer start(Connection connection, String stream, ConsumerConfiguration configuration,
                                        int concurrency, Handler handler) throws IOException, JetStreamApiException {
        if (configuration.getDurable() == null) {
            throw new IllegalArgumentException("a DurableConsumer needs a durable name");
        }
        DurableConsumer durable = new DurableConsumer(connection, stream, configuration, concurrency, handler);
        long giveUpAt = System.nanoTime() + START_PATIENCE.toNanos();
        int unanswered = 0;
        while (true) {
            try {
                JetStreamManagement management = connection.jetStreamManagement();
                if (!management.getConsumerNames(stream).contains(configuration.getDurable())) {
                    management.addOrUpdateConsumer(stream, configuration);
                }
                durable.consumer = durable.consume();
                break;
            } catch (IOException timedOut) {
                if (System.nanoTime() - giveUpAt > 0) {
                    throw timedOut;
                }
                LOG.warnf("%s: JetStream did not answer in time (%s); trying again", configuration.getDurable(),
                        timedOut.getMessage());
                // Two in a row on a connection that says CONNECTED: the wedged writer of a reconnect.
                if (++unanswered % 2 == 0) {
                    WedgedConnection.reconnect(connection, configuration.getDurable());
                }
                pause();
            }
        }
        connection.addConnectionListener(durable.reconnects);
        durable.watch = RESUMES.scheduleWithFixedDelay(durable::watch, WATCH_PERIOD.toMillis(), WATCH_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.infof("consuming %s from %s as %s, %d at a time",
                configuration.getFilterSubject() == null ? "every subject" : configuration.getFilterSubject(), stream,
                configuration.getDurable(), concurrency);
        return durable;
    }

    /** A disconnected client may fail a request at once: spaces the tries out. */
    private static void pause() throws IOException {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for JetStream", e);
        }
    }

    private MessageConsumer consume() throws IOException, JetStreamApiException {
        return connection.getConsumerContext(stream, configuration.getDurable())
                .consume(ConsumeOptions.builder().batchSize(Math.min(concurrency, 256)).build(), this::onMessage);
    }

    private void onConnectionEvent(Connection source, ConnectionListener.Events event) {
        // One resume at a time: a reconnect during a resume (ours, below) is taken care of by its retries.
        if (event == ConnectionListener.Events.RECONNECTED && !closed && resuming.compareAndSet(false, true)) {
            failedResumes = 0;
            RESUMES.execute(this::resume);
        }
    }

    /**
     * A consumer with free slots and messages pending always has a pull request open (jnats pulls
     * again before the last one runs out). Seen twice in a row without one, it has lost its pulls
     * (nothing would ever deliver to it again), and consumes afresh. JetStream not answering twice in
     * a row while the connection says CONNECTED means a wedged connection.
     */
    private void watch() {
        if (closed || resuming.get()) {
            return;
        }
        ConsumerInfo info;
        try {
            // A PING first: on a wedged connection a request would wait for jnats' flush for the whole connection timeout.
            connection.flush(PING_PATIENCE);
            info = connection.jetStreamManagement().getConsumerInfo(stream, configuration.getDurable());
            unansweredWatches = 0;
        } catch (IOException | TimeoutException e) {
            if (++unansweredWatches >= 2) {
                unansweredWatches = 0;
                WedgedConnection.reconnect(connection, configuration.getDurable());
            }
            return;
        } catch (JetStreamApiException | RuntimeException e) {
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        boolean stalled = info.getNumWaiting() == 0 && info.getNumPending() > 0 && inFlight() < concurrency;
        stalledWatches = stalled ? stalledWatches + 1 : 0;
        if (stalledWatches >= 2 && resuming.compareAndSet(false, true)) {
            stalledWatches = 0;
            LOG.warnf("%s: %d messages pending and no pull request open; consuming afresh", configuration.getDurable(),
                    info.getNumPending());
            failedResumes = 0;
            resume();
        }
    }

    /** Replaces the consumer by a new one; retried every second while JetStream does not answer. */
    private void resume() {
        if (closed) {
            resuming.set(false);
            return;
        }
        MessageConsumer previous = consumer;
        try {
            consumer = consume();
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.warnf("%s: could not consume afresh (%s); trying again", configuration.getDurable(), e.getMessage());
            // A timeout, not an answer such as "JetStream not ready yet".
            if (e instanceof IOException && ++failedResumes % 2 == 0) {
                WedgedConnection.reconnect(connection, configuration.getDurable());
            }
            RESUMES.schedule(this::resume, 1, TimeUnit.SECONDS);
            return;
        }
        resuming.set(false);
        if (closed) {
            consumer.stop();
        }
        // Messages in hand from the previous consumer are still settled through their reply subjects.
        try {
            previous.close();
        } catch (Exception e) {
            LOG.debugf("closing the previous consumer of %s: %s", configuration.getDurable(), e.getMessage());
        }
        LOG.infof("%s: consuming again", configuration.getDurable());
    }

    /** Runs on the NATS dispatcher thread: take a slot, hand the message to a worker. */
    private void onMessage(Message message) throws InterruptedException {
        slots.acquire();
        try {
            Infrastructure.getDefaultWorkerPool().execute(() -> process(message));
        } catch (RuntimeException rejected) {
            slots.release();
            message.nak();
        }
    }

    private void process(Message message) {
        long period = Math.max(100, configuration.getAckWait().toMillis() / 3);
        ScheduledFuture<?> inProgress = HEARTBEATS.scheduleAtFixedRate(message::inProgress, period, period,
                TimeUnit.MILLISECONDS);
        CompletionStage<Outcome> outcome;
        try {
            outcome = handler.handle(message);
        } catch (RuntimeException e) {
            outcome = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((result, failure) -> {
            inProgress.cancel(false);
            try {
                if (failure == null && result.ack()) {
                    message.ack();
                } else {
                    if (failure != null) {
                        LOG.warnf(failure, "handling %s failed; it will be redelivered", message.getSubject());
                    }
                    message.nakWithDelay(failure == null && result.delay() != null ? result.delay()
                            : configuration.getAckWait());
                }
            } catch (RuntimeException e) {
                LOG.warnf("could not settle %s: %s", message.getSubject(), e.getMessage());
            } finally {
                slots.release();
            }
        });
    }

    public String stream() {
        return stream;
    }

    public ConsumerConfiguration configuration() {
        return configuration;
    }

    /** Stops taking messages and waits (bounded) for those in hand; the rest are redelivered. */
    @Override
    public void close() {
        closed = true;
        connection.removeConnectionListener(reconnects);
        if (watch != null) {
            watch.cancel(false);
        }
        MessageConsumer running = consumer;
        if (running == null) {
            return;
        }
        try {
            running.stop();
            if (slots.tryAcquire(concurrency, 10, TimeUnit.SECONDS)) {
                slots.release(concurrency);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests: the jnats consumer now in use. */
    MessageConsumer messageConsumer() {
        return consumer;
    }

    /** For tests and diagnostics: how many messages are in hand. */
    public int inFlight() {
        return concurrency - slots.availablePermits();
    }
}
