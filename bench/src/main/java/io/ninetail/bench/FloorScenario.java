package io.ninetail.bench;

import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.MessageConsumer;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The floor: one JetStream round trip shaped like one hop of the engine, measured against the
 * same nats-server in the same run. A requester publishes into a stream and waits for the
 * stream's acknowledgement; a durable pull consumer (a "function") receives it, publishes a
 * reply into a second stream, waits for that acknowledgement and only then acknowledges the
 * input; the requester's own durable pull consumer receives the reply and acknowledges it.
 * The clock runs from the publish to the reply's arrival.
 *
 * <p>What the engine adds on top of this per hop — reading and writing the run's state in KV,
 * resolving expressions, (de)serialising events — is what the hop overhead is compared with.
 * The bench's streams are its own and deleted afterwards; Ninetail's streams are not touched.
 */
public final class FloorScenario implements Scenario {

    static final String REQUESTS = "BENCH_FLOOR_REQUESTS";
    static final String REPLIES = "BENCH_FLOOR_REPLIES";
    private static final Duration ROUND_TRIP_TIMEOUT = Duration.ofSeconds(5);
    /** About the size of a transform's input event: a few CloudEvent headers and a small JSON. */
    private static final byte[] PAYLOAD = "{\"value\":{\"title\":\"Ninetail bench\",\"n\":1,\"tags\":[\"a\",\"b\",\"c\"]}}"
            .getBytes(StandardCharsets.UTF_8);

    @Override
    public String name() {
        return "floor";
    }

    @Override
    public List<Result> run(BenchContext context) throws Exception {
        Plan plan = context.plan();
        String natsUrl = context.system().ports().natsUrl();
        try (Connection admin = connect(natsUrl, "bench-floor-admin")) {
            JetStreamManagement management = admin.jetStreamManagement();
            createStreams(management);
            try (Connection requester = connect(natsUrl, "bench-floor-requester");
                 Connection responder = connect(natsUrl, "bench-floor-responder")) {
                return List.of(measure(context, requester, responder, plan));
            } finally {
                // After the consumers' connections are closed: their pending pulls would report
                // the deletion as errors.
                deleteStreams(management);
            }
        }
    }

    private Result measure(BenchContext context, Connection requester, Connection responder, Plan plan)
            throws Exception {
        JetStream requests = requester.jetStream();
        JetStream replies = responder.jetStream();
        AtomicReference<Pending> pending = new AtomicReference<>();

        MessageConsumer function = responder.getConsumerContext(REQUESTS, "bench-floor-function")
                .consume(consumeOptions(), input -> {
                    Headers headers = new Headers().put("Nats-Msg-Id", input.getHeaders().getFirst("Nats-Msg-Id") + "/reply")
                            .put("bench-seq", input.getHeaders().getFirst("bench-seq"));
                    // As a function does: the result is stored before the input is acknowledged.
                    replies.publishAsync("bench.floor.reply." + input.getHeaders().getFirst("bench-seq"), headers,
                                    input.getData())
                            .whenComplete((ack, failure) -> {
                                if (failure == null) {
                                    input.ack();
                                }
                            });
                });
        MessageConsumer caller = requester.getConsumerContext(REPLIES, "bench-floor-caller")
                .consume(consumeOptions(), reply -> {
                    long arrived = System.nanoTime();
                    reply.ack();
                    Pending waiting = pending.get();
                    // A reply that comes after its round trip timed out is not the current one's.
                    if (waiting != null && waiting.seq().equals(reply.getHeaders().getFirst("bench-seq"))) {
                        waiting.arrival().complete(arrived);
                    }
                });
        try {
            String run = Long.toString(System.currentTimeMillis(), 36);
            roundTrips(requests, pending, run + "w", plan.floorWarmup(), plan.floorTime(), new LatencyRecorder());
            LatencyRecorder latencies = new LatencyRecorder();
            long start = System.nanoTime();
            long errors = roundTrips(requests, pending, run, plan.floorRoundTrips(), plan.floorTime(), latencies);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            Latencies measured = latencies.latencies();
            context.floor(measured);
            context.say("  floor: p50 %s ms, p99 %s ms over %d round trips", Numbers.format(measured.p50()),
                    Numbers.format(measured.p99()), measured.count());
            return new Result("floor: JetStream round trip", measured.count(), measured,
                    measured.count() / (elapsed.toNanos() / 1e9), errors,
                    "publish → durable pull consumer → reply published → received, one at a time; "
                            + "file storage, acks as the engine's",
                    "— (the reference)");
        } finally {
            function.stop();
            caller.stop();
        }
    }

    /** The round trip in flight: its sequence, completed with the reply's arrival time. */
    private record Pending(String seq, CompletableFuture<Long> arrival) {
    }

    /** Round trips one after another until the count or the time is used up; answers the errors. */
    private long roundTrips(JetStream requests, AtomicReference<Pending> pending, String run,
                            int count, Duration time, LatencyRecorder latencies) throws Exception {
        long deadline = System.nanoTime() + time.toNanos();
        long errors = 0;
        for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
            String seq = run + "-" + i;
            Pending reply = new Pending(seq, new CompletableFuture<>());
            pending.set(reply);
            Headers headers = new Headers().put("Nats-Msg-Id", "bench-floor-" + seq).put("bench-seq", seq)
                    .put("ce-specversion", "1.0").put("ce-type", "bench.floor.request")
                    .put("content-type", "application/json");
            long before = System.nanoTime();
            try {
                requests.publish("bench.floor.request." + seq, headers, PAYLOAD);
                long arrived = reply.arrival().get(ROUND_TRIP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                latencies.recordNanos(arrived - before);
            } catch (TimeoutException | IOException | JetStreamApiException e) {
                errors++;
            }
        }
        return errors;
    }

    private static ConsumeOptions consumeOptions() {
        // The engine's functions pull in batches of up to their concurrency.
        return ConsumeOptions.builder().batchSize(64).build();
    }

    private static void createStreams(JetStreamManagement management) throws IOException, JetStreamApiException {
        deleteStreams(management);
        for (String[] stream : new String[][] {{REQUESTS, "bench.floor.request.>", "bench-floor-function"},
                {REPLIES, "bench.floor.reply.>", "bench-floor-caller"}}) {
            management.addStream(StreamConfiguration.builder().name(stream[0]).subjects(stream[1])
                    .retentionPolicy(RetentionPolicy.WorkQueue).storageType(StorageType.File)
                    .duplicateWindow(Duration.ofMinutes(2)).build());
            management.addOrUpdateConsumer(stream[0], ConsumerConfiguration.builder().durable(stream[2])
                    .ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofSeconds(30)).build());
        }
    }

    private static void deleteStreams(JetStreamManagement management) throws IOException, JetStreamApiException {
        List<String> existing = management.getStreamNames();
        for (String stream : List.of(REQUESTS, REPLIES)) {
            if (existing.contains(stream)) {
                management.deleteStream(stream);
            }
        }
    }

    private static Connection connect(String url, String name) throws IOException, InterruptedException {
        return Nats.connect(Options.builder().server(url).connectionName(name)
                .connectionTimeout(Duration.ofSeconds(5)).build());
    }
}
