package io.ninetail.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.Subject;
import io.ninetail.core.definition.BlockTypes;
import io.ninetail.core.nats.EventPublisher;
import io.ninetail.core.nats.Subjects;
import io.ninetail.core.nats.Topology;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The api's Prometheus metrics (at {@code /q/metrics}):
 *
 * <ul>
 *   <li>{@code ninetail_runs_started_total{via}}: runs this replica started ({@code api},
 *       {@code inline}, {@code hook});</li>
 *   <li>{@code ninetail_runs_completed_total}, {@code …_failed_total}, {@code …_cancelled_total}:
 *       runs that ended, counted from the scheduler's {@code workflow.*.complete|failed|cancelled}
 *       events through a queue group, so each end is counted by one api replica: like
 *       {@code started}, sum them over replicas;</li>
 *   <li>{@code ninetail_webhook_duration_seconds{workflow,status}}: from request to answer;</li>
 *   <li>{@code ninetail_block_tasks_pending{type}}: inputs waiting in BLOCK_INPUT for a function of
 *       that type (the consumer's pending count; the number an autoscaler scales on), and
 *       {@code ninetail_block_tasks_in_progress{type}}: inputs delivered but not yet answered.
 *       Read every {@code ninetail.api.queue-refresh}.</li>
 * </ul>
 */
@ApplicationScoped
public class ApiMetrics {

    private static final Logger LOG = Logger.getLogger(ApiMetrics.class);
    /** JetStream's "consumer not found". */
    private static final int CONSUMER_NOT_FOUND = 10014;
    static final String QUEUE_GROUP = "ninetail-api-metrics";

    private final MeterRegistry registry;
    private final EventPublisher publisher;
    private final Duration refresh;
    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> inProgress = new ConcurrentHashMap<>();
    private final List<Gauge> gauges = new ArrayList<>();
    // Built and registered once per tag set: a meter's builder and the registry's look-up cost a
    // webhook call more than recording does.
    private final Map<String, Counter> started = new ConcurrentHashMap<>();
    private final Map<WebhookTags, Timer> webhookDurations = new ConcurrentHashMap<>();
    private ScheduledExecutorService poller;
    private Dispatcher ends;

    public ApiMetrics(MeterRegistry registry, EventPublisher publisher, ApiConfig config) {
        this.registry = registry;
        this.publisher = publisher;
        this.refresh = config.queueRefresh();
    }

    void onStart(@Observes StartupEvent event) {
        Counter completed = counter("ninetail.runs.completed", "Runs that completed");
        Counter failed = counter("ninetail.runs.failed", "Runs that failed");
        Counter cancelled = counter("ninetail.runs.cancelled", "Runs that were cancelled");
        ends = publisher.connection().createDispatcher();
        ends.subscribe("workflow.*.complete", QUEUE_GROUP, message -> completed.increment());
        ends.subscribe("workflow.*.failed", QUEUE_GROUP, message -> failed.increment());
        ends.subscribe("workflow.*.cancelled", QUEUE_GROUP, message -> cancelled.increment());

        for (String type : BlockTypes.builtIn().names()) {
            AtomicLong waiting = pending.computeIfAbsent(type, t -> new AtomicLong());
            AtomicLong running = inProgress.computeIfAbsent(type, t -> new AtomicLong());
            gauges.add(Gauge.builder("ninetail.block.tasks.pending", waiting, AtomicLong::get)
                    .description("Inputs waiting for a function of this block type (JetStream consumer block-<type>)")
                    .tag("type", type).register(registry));
            gauges.add(Gauge.builder("ninetail.block.tasks.in.progress", running, AtomicLong::get)
                    .description("Inputs delivered to a function of this block type and not yet answered")
                    .tag("type", type).register(registry));
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ninetail-api-queue-metrics");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::readQueues, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        // The registry (Micrometer's global one, in Quarkus) may outlive this bean: an app started
        // again in the same JVM (tests, dev mode) would get these gauges back, still reading this
        // bean's counts, or nothing once they are collected (gauges hold them weakly).
        gauges.forEach(registry::remove);
        gauges.clear();
        if (poller != null) {
            poller.shutdownNow();
        }
        if (ends != null) {
            try {
                publisher.connection().closeDispatcher(ends);
            } catch (IllegalStateException closed) {
                // closed with the connection
            }
        }
    }

    public void runStarted(String via) {
        meter(started, via, tag -> Counter.builder("ninetail.runs.started").description("Runs this api replica started")
                .tag("via", tag).register(registry)).increment();
    }

    public void webhookAnswered(String workflow, int status, long startNanos) {
        meter(webhookDurations, new WebhookTags(workflow, status), tags -> Timer.builder("ninetail.webhook.duration")
                .description("Webhook calls, from request to answer")
                .tag("workflow", tags.workflow()).tag("status", Integer.toString(tags.status()))
                .publishPercentileHistogram()
                .register(registry)).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    private record WebhookTags(String workflow, int status) {
    }

    /** The meter for {@code tags}, made on first use; later calls read it without a lock. */
    private static <K, M> M meter(Map<K, M> meters, K tags, Function<K, M> register) {
        M meter = meters.get(tags);
        return meter != null ? meter : meters.computeIfAbsent(tags, register);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    /** Pending and in-progress inputs per block type, from the functions' durable consumers. */
    void readQueues() {
        try {
            JetStreamManagement management = publisher.connection().jetStreamManagement();
            for (String type : pending.keySet()) {
                try {
                    ConsumerInfo info = management.getConsumerInfo(Topology.BLOCK_INPUT_STREAM, Topology.blockConsumer(type));
                    pending.get(type).set(info.getNumPending());
                    inProgress.get(type).set(info.getNumAckPending());
                } catch (JetStreamApiException e) {
                    if (e.getApiErrorCode() != CONSUMER_NOT_FOUND) {
                        throw e;
                    }
                    // No function of this type has ever started: count its inputs in the stream.
                    pending.get(type).set(inStream(management, type));
                    inProgress.get(type).set(0);
                }
            }
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.debugf("could not read the block queues: %s", e.getMessage());
        }
    }

    private static long inStream(JetStreamManagement management, String type) throws IOException, JetStreamApiException {
        StreamInfo info = management.getStreamInfo(Topology.BLOCK_INPUT_STREAM,
                StreamInfoOptions.filterSubjects(Subjects.blockInputFilter(type)));
        List<Subject> subjects = info.getStreamState().getSubjects();
        return subjects == null ? 0 : subjects.stream().mapToLong(Subject::getCount).sum();
    }
}
