package io.ninetail.core.definition;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Reads a block's {@code retry}, filling in what it leaves out. */
final class RetryReader {

    static final List<String> KEYS = List.of("delay", "maxAttempts", "maxDelay", "multiplier");

    private final String label;

    RetryReader(String label) {
        this.label = label;
    }

    /** {@link RetryPolicy#NONE} when absent; null when wrong (reported). */
    RetryPolicy read(JsonNode retry, JsonPointer pointer, Diagnostics out) {
        if (retry == null) {
            return RetryPolicy.NONE;
        }
        if (!retry.isObject()) {
            out.error(pointer.toString(), label + ": retry must be an object, was " + Texts.describe(retry));
            return null;
        }
        int before = out.errorCount();
        for (Map.Entry<String, JsonNode> field : retry.properties()) {
            if (!KEYS.contains(field.getKey())) {
                out.error(pointer.appendProperty(field.getKey()).toString(),
                        label + ": retry has " + BlockReader.unknownKey(field.getKey(), KEYS));
            }
        }
        Integer maxAttempts = maxAttempts(retry.get("maxAttempts"), pointer.appendProperty("maxAttempts"), out);
        Double multiplier = multiplier(retry.get("multiplier"), pointer.appendProperty("multiplier"), out);
        Duration maxDelay = duration(retry, "maxDelay", pointer, out, null);
        // A left-out delay never exceeds a maxDelay that was written.
        Duration delay = duration(retry, "delay", pointer, out, maxDelay != null
                && maxDelay.compareTo(RetryPolicy.DEFAULT_DELAY) < 0 ? maxDelay : RetryPolicy.DEFAULT_DELAY);
        if (delay != null && maxDelay != null && delay.compareTo(maxDelay) > 0) {
            out.error(pointer.appendProperty("delay").toString(), label + ": retry.delay " + Durations.format(delay)
                    + " is longer than retry.maxDelay " + Durations.format(maxDelay));
        }
        if (out.errorCount() > before) {
            return null;
        }
        Duration cap = maxDelay != null ? maxDelay
                : (delay.compareTo(RetryPolicy.DEFAULT_MAX_DELAY) > 0 ? delay : RetryPolicy.DEFAULT_MAX_DELAY);
        return new RetryPolicy(maxAttempts, delay, multiplier, cap);
    }

    private Integer maxAttempts(JsonNode value, JsonPointer pointer, Diagnostics out) {
        if (value == null) {
            return RetryPolicy.DEFAULT_MAX_ATTEMPTS;
        }
        if (value.isNumber() && value.canConvertToExactIntegral()) {
            BigDecimal number = value.decimalValue();
            if (number.compareTo(BigDecimal.ONE) >= 0
                    && number.compareTo(BigDecimal.valueOf(RetryPolicy.MAX_ATTEMPTS_LIMIT)) <= 0) {
                return number.intValueExact();
            }
        }
        out.error(pointer.toString(), label + ": retry.maxAttempts must be a whole number from 1 to "
                + RetryPolicy.MAX_ATTEMPTS_LIMIT + ", was " + Texts.describe(value));
        return null;
    }

    private Double multiplier(JsonNode value, JsonPointer pointer, Diagnostics out) {
        if (value == null) {
            return RetryPolicy.DEFAULT_MULTIPLIER;
        }
        if (value.isNumber() && Double.isFinite(value.doubleValue()) && value.doubleValue() >= 1.0) {
            return value.doubleValue();
        }
        out.error(pointer.toString(), label + ": retry.multiplier must be a number of at least 1, was "
                + Texts.describe(value));
        return null;
    }

    private Duration duration(JsonNode retry, String key, JsonPointer pointer, Diagnostics out, Duration absent) {
        JsonNode value = retry.get(key);
        return value == null ? absent : DurationField.read(value, "retry." + key, label, pointer.appendProperty(key), out);
    }
}
