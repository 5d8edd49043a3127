package io.ninetail.core.definition;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.ninetail.core.definition.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RetryPolicyTest {

    private static RetryPolicy retryOf(String retry) {
        return Fixtures.valid(json("""
                {"name": "r", "blocks": [{"id": "a", "type": "transform", "retry": %s, "with": {"value": 1}}]}"""
                .formatted(retry))).block("a").orElseThrow().retry();
    }

    @Test
    void waitsGrowByTheMultiplierUpToMaxDelay() {
        RetryPolicy policy = retryOf("{\"maxAttempts\": 6, \"delay\": \"500ms\", \"multiplier\": 2, \"maxDelay\": \"3s\"}");

        assertEquals(Duration.ZERO, policy.delayBefore(1));
        assertEquals(Duration.ofMillis(500), policy.delayBefore(2));
        assertEquals(Duration.ofSeconds(1), policy.delayBefore(3));
        assertEquals(Duration.ofSeconds(2), policy.delayBefore(4));
        assertEquals(Duration.ofSeconds(3), policy.delayBefore(5));
        assertEquals(Duration.ofSeconds(3), policy.delayBefore(6));
    }

    @Test
    void anEmptyRetryMeansThreeAttemptsFromOneSecondDoublingToAMinute() {
        assertEquals(new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1)), retryOf("{}"));
    }

    @Test
    void aLeftOutDelayFitsUnderAShortMaxDelay() {
        assertEquals(new RetryPolicy(3, Duration.ofMillis(200), 2.0, Duration.ofMillis(200)), retryOf("{\"maxDelay\": \"200ms\"}"));
    }

    @Test
    void aLeftOutMaxDelayIsNeverShorterThanTheDelay() {
        assertEquals(new RetryPolicy(3, Duration.ofMinutes(5), 2.0, Duration.ofMinutes(5)), retryOf("{\"delay\": \"5m\"}"));
    }

    @Test
    void aBlockWithoutRetryRunsOnce() {
        assertEquals(RetryPolicy.NONE, Fixtures.valid(json("""
                {"name": "r", "blocks": [{"id": "a", "type": "transform", "with": {"value": 1}}]}""")).blocks().get(0).retry());
    }
}
