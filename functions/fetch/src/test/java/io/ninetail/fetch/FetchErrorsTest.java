package io.ninetail.fetch;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class FetchErrorsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void retryAfterInSecondsIsADelay() {
        assertEquals(120_000L, FetchErrors.retryAfterMs("120", NOW));
        assertEquals(0L, FetchErrors.retryAfterMs(" 0 ", NOW));
    }

    @Test
    void retryAfterAsAnHttpDateIsTheTimeLeftUntilThen() {
        assertEquals(90_000L, FetchErrors.retryAfterMs("Wed, 25 Nov 2026 10:01:30 GMT", NOW));
        assertEquals(0L, FetchErrors.retryAfterMs("Wed, 25 Nov 2026 09:00:00 GMT", NOW), "a date past means now");
    }

    @Test
    void anUnreadableRetryAfterIsIgnored() {
        assertNull(FetchErrors.retryAfterMs("soon", NOW));
        assertNull(FetchErrors.retryAfterMs("-5", NOW));
        assertNull(FetchErrors.retryAfterMs(null, NOW));
    }
}
