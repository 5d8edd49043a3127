package io.ninetail.core.definition;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The durations of workflow definitions: ISO-8601 ({@code PT10S}, {@code PT0.5S}, {@code P1DT2H})
 * or the short form ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}).
 *
 * <p>The grammar is deliberately narrower than {@link Duration#parse}: no signs, no lower case,
 * at most nine digits per field. That keeps every accepted text representable, and lets the JSON
 * Schema carry the very same pattern ({@code common.schema.json#/$defs/duration}), so an editor
 * and the validator agree on what a duration is.
 */
public final class Durations {

    /** ISO-8601 durations as written in definitions (days, hours, minutes, seconds). */
    public static final String ISO_PATTERN =
            "^P(?=\\d|T\\d)(\\d{1,9}D)?(T(?=\\d)(\\d{1,9}H)?(\\d{1,9}M)?(\\d{1,9}(\\.\\d{1,9})?S)?)?$";
    /** Short durations: a whole number and a unit. */
    public static final String SHORT_PATTERN = "^(\\d{1,9})(ms|s|m|h)$";
    /** Either form. */
    public static final String PATTERN = "^(P(?=\\d|T\\d)(\\d{1,9}D)?(T(?=\\d)(\\d{1,9}H)?(\\d{1,9}M)?(\\d{1,9}(\\.\\d{1,9})?S)?)?"
            + "|\\d{1,9}(ms|s|m|h))$";

    /** What a user is told when a text is not a duration. */
    public static final String EXPECTED = "use ISO-8601 such as PT10S or PT0.5S, or a whole number with ms, s, m or h"
            + " such as 500ms, 10s, 2m or 1h";

    private static final Pattern ISO = Pattern.compile(ISO_PATTERN);
    private static final Pattern SHORT = Pattern.compile(SHORT_PATTERN);

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException saying what a duration looks like
     */
    public static Duration parse(String text) {
        if (text != null) {
            Matcher shortForm = SHORT.matcher(text);
            if (shortForm.matches()) {
                long amount = Long.parseLong(shortForm.group(1));
                return switch (shortForm.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
            if (ISO.matcher(text).matches()) {
                try {
                    return Duration.parse(text);
                } catch (DateTimeParseException | ArithmeticException e) {
                    // The pattern bounds every field, so this is unreachable; the message below still fits.
                }
            }
        }
        throw new IllegalArgumentException("'" + Texts.excerpt(text) + "' is not a duration: " + EXPECTED);
    }

    /** The canonical text of a duration: ISO-8601, as {@link Duration#toString()} writes it. */
    public static String format(Duration duration) {
        return duration.toString();
    }
}
