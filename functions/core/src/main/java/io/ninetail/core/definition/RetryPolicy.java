package io.ninetail.core.definition;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a block is tried when it fails with a retryable error, and how long to wait
 * in between: {@code delay}, then {@code delay × multiplier}, … never more than {@code maxDelay}.
 *
 * @param maxAttempts tries in all, the first one included (1 = no retry)
 */
public record RetryPolicy(int maxAttempts, Duration delay, double multiplier, Duration maxDelay) {

    public static final int MAX_ATTEMPTS_LIMIT = 100;
    /** A block without {@code retry} runs once. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO);

    /** What a {@code retry} object leaves out. */
    static final int DEFAULT_MAX_ATTEMPTS = 3;
    static final Duration DEFAULT_DELAY = Duration.ofSeconds(1);
    static final double DEFAULT_MULTIPLIER = 2.0;
    static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(1);

    public RetryPolicy {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
            throw new IllegalArgumentException("maxAttempts must be between 1 and " + MAX_ATTEMPTS_LIMIT);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1");
        }
        if (delay.isNegative() || delay.compareTo(maxDelay) > 0) {
            throw new IllegalArgumentException("delay must be between zero and maxDelay");
        }
    }

    /**
     * The wait before the given attempt (2 = the first retry). The scheduler may wait longer,
     * e.g. for a {@code Retry-After} the block reported.
     */
    public Duration delayBefore(int attempt) {
        if (attempt <= 1) {
            return Duration.ZERO;
        }
        double millis = delay.toMillis() * Math.pow(multiplier, attempt - 2.0);
        return millis >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) millis);
    }
}
