package io.ninetail.bench;

import java.util.Locale;

/**
 * The targets as text: what the target is, and whether a figure meets it or misses it by
 * how much, e.g. {@code p50 ≤ 15 ms: missed by 7.2 ms}.
 */
public final class Targets {

    private Targets() {
    }

    public static String atMost(String what, double actual, double limit, String unit) {
        String target = label(what) + "≤ " + quantity(limit, unit);
        if (Double.isNaN(actual)) {
            return target + ": not measured";
        }
        return actual <= limit ? target + ": met"
                : target + ": missed by " + quantity(actual - limit, unit);
    }

    public static String atLeast(String what, double actual, double limit, String unit) {
        String target = label(what) + "≥ " + quantity(limit, unit);
        if (Double.isNaN(actual)) {
            return target + ": not measured";
        }
        return actual >= limit ? target + ": met"
                : target + ": missed by " + quantity(limit - actual, unit);
    }

    public static String noErrors(long errors) {
        return errors == 0 ? "0 errors: met" : String.format(Locale.ROOT, "0 errors: missed (%d)", errors);
    }

    /** 15 ms, 400 runs/s, but 3× (a ratio's sign goes with the number). */
    private static String quantity(double value, String unit) {
        return Numbers.format(value) + (unit.equals("×") ? unit : " " + unit);
    }

    private static String label(String what) {
        return what.isEmpty() ? "" : what + " ";
    }

    public static String all(String... verdicts) {
        return String.join("; ", verdicts);
    }
}
