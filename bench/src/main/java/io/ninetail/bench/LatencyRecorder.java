package io.ninetail.bench;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * Records durations from any number of threads and gives their percentiles.
 *
 * <p>Values are kept in microseconds with three significant digits (HdrHistogram), so a 1.234 ms
 * round trip and a 12.34 s start-up are both kept to 0.1 %; anything over ten minutes is
 * clamped, since no call the harness makes may take that long.
 */
public final class LatencyRecorder {

    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final Histogram histogram = new ConcurrentHistogram(1, HIGHEST_MICROS, 3);

    public void recordNanos(long nanos) {
        long micros = Math.max(1, TimeUnit.NANOSECONDS.toMicros(nanos));
        histogram.recordValue(Math.min(micros, HIGHEST_MICROS));
    }

    public void recordMillis(double millis) {
        recordNanos(Math.round(millis * 1_000_000.0));
    }

    public long count() {
        return histogram.getTotalCount();
    }

    public Latencies latencies() {
        if (histogram.getTotalCount() == 0) {
            return Latencies.NONE;
        }
        return new Latencies(histogram.getTotalCount(),
                millis(histogram.getValueAtPercentile(50.0)),
                millis(histogram.getValueAtPercentile(90.0)),
                millis(histogram.getValueAtPercentile(99.0)),
                millis(histogram.getMaxValue()),
                histogram.getMean() / 1000.0);
    }

    private static double millis(long micros) {
        return micros / 1000.0;
    }
}
