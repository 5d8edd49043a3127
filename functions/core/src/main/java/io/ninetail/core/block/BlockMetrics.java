package io.ninetail.core.block;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one replica of a block function has done, at {@code /q/metrics} (Prometheus): executions by
 * outcome, how long they took, and how many run now. Summed over replicas it is the work of a block
 * type; per replica it shows how the work is spread.
 *
 * <ul>
 *   <li>{@code ninetail_block_executions_total{type, outcome}}: inputs run to a result, {@code outcome}
 *       = {@code output} or {@code error} (the result event's leg);</li>
 *   <li>{@code ninetail_block_duration_seconds{type, outcome}}: from taking the input to its result;</li>
 *   <li>{@code ninetail_block_executions_active{type}}: inputs being run now.</li>
 * </ul>
 */
public final class BlockMetrics {

    private final Counter outputs;
    private final Counter errors;
    private final Timer outputDuration;
    private final Timer errorDuration;
    private final AtomicInteger active = new AtomicInteger();

    public BlockMetrics(MeterRegistry registry, String type) {
        outputs = counter(registry, type, "output");
        errors = counter(registry, type, "error");
        outputDuration = timer(registry, type, "output");
        errorDuration = timer(registry, type, "error");
        Gauge.builder("ninetail.block.executions.active", active, AtomicInteger::get).tag("type", type)
                .description("Inputs this replica is running now").register(registry);
    }

    /** Counted nowhere that anyone reads: for runners built outside an app (tests). */
    public static BlockMetrics unpublished(String type) {
        return new BlockMetrics(new SimpleMeterRegistry(), type);
    }

    private static Counter counter(MeterRegistry registry, String type, String outcome) {
        return Counter.builder("ninetail.block.executions").tag("type", type).tag("outcome", outcome)
                .description("Inputs this replica ran to a result").register(registry);
    }

    private static Timer timer(MeterRegistry registry, String type, String outcome) {
        return Timer.builder("ninetail.block.duration").tag("type", type).tag("outcome", outcome)
                .description("From taking an input to its result").register(registry);
    }

    /** One input taken; {@link Execution#end(boolean)} once its result exists. */
    Execution start() {
        active.incrementAndGet();
        return new Execution(System.nanoTime());
    }

    /** An input being run. */
    final class Execution {
        private final long startedNanos;

        private Execution(long startedNanos) {
            this.startedNanos = startedNanos;
        }

        void end(boolean output) {
            active.decrementAndGet();
            Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
            (output ? outputs : errors).increment();
            (output ? outputDuration : errorDuration).record(took);
        }

        /** Cancelled before a result: it ran, but to nothing. */
        void abandon() {
            active.decrementAndGet();
        }
    }
}
