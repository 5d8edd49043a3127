package io.ninetail.bench;

/**
 * One row of the report: what a scenario (or one case of it) measured.
 *
 * @param scenario   the scenario and case, e.g. {@code webhook c=16}
 * @param count      how many measurements the percentiles are made of
 * @param latencies  p50/p90/p99 in milliseconds (NaN where a scenario has none)
 * @param throughput per second (NaN where a scenario has none)
 * @param errors     calls that failed or answered wrongly
 * @param figures    everything else the scenario measured, as text for people
 * @param target     the targets for this row and whether they are met
 */
public record Result(String scenario, long count, Latencies latencies, double throughput, long errors,
                     String figures, String target) {

    /** A scenario that could not finish: one row that says why, counted as an error. */
    public static Result failed(String scenario, Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new Result(scenario, 0, Latencies.NONE, Double.NaN, 1,
                "did not complete: " + firstLine(message), "—");
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
