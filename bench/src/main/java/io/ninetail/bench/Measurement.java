package io.ninetail.bench;

import java.time.Duration;
import java.util.List;

/**
 * What a loop of calls measured.
 *
 * @param latencies   of the calls that succeeded
 * @param errors      calls that failed or answered wrongly
 * @param elapsed     from the first call to the end of the last
 * @param errorSamples the first few distinct error messages, for the console and the report
 */
public record Measurement(Latencies latencies, long errors, Duration elapsed, List<String> errorSamples) {

    /** Successful calls per second over the whole loop. */
    public double throughput() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? Double.NaN : latencies.count() / seconds;
    }

    /** The first error, for a report cell; empty when there were none. */
    public String firstError() {
        return errorSamples.isEmpty() ? "" : errorSamples.get(0);
    }
}
