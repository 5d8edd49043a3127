package io.ninetail.bench;

import java.util.Locale;

/** How figures are written: enough digits to compare runs, no more. */
public final class Numbers {

    private Numbers() {
    }

    /** 0.482, 4.82, 48.2, 482: three significant digits below 100, whole numbers as such. */
    public static String format(double value) {
        if (Double.isNaN(value)) {
            return "—";
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 100 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (magnitude >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** A ratio such as {@code 3.4×}. */
    public static String times(double ratio) {
        return format(ratio) + "×";
    }
}
