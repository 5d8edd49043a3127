package io.ninetail.bench;

/**
 * The percentiles of one set of measured durations, in milliseconds.
 *
 * @param count how many durations were recorded
 */
public record Latencies(long count, double p50, double p90, double p99, double max, double mean) {

    public static final Latencies NONE = new Latencies(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    public boolean isEmpty() {
        return count == 0;
    }
}
