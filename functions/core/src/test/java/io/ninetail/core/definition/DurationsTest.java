package io.ninetail.core.definition;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
            "PT10S, PT10S", "PT0.5S, PT0.5S", "P1DT2H, PT26H", "PT1M30S, PT1M30S", "PT0S, PT0S",
            "500ms, PT0.5S", "10s, PT10S", "2m, PT2M", "1h, PT1H", "0s, PT0S", "999999999h, PT999999999H"})
    void readsIsoAndShortForms(String text, String expected) {
        assertEquals(Duration.parse(expected), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "10 s", "10sec", "1.5s", "-PT1S", "PT-1S", "pt10s", "P", "PT", "PT1H-30M",
            "10S", "1d", "PT1234567890S", " 10s", "10s "})
    void refusesAnythingElseSayingWhatADurationLooksLike(String text) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));

        assertEquals("'" + text + "' is not a duration: " + Durations.EXPECTED, refused.getMessage());
    }

    @Test
    void refusesNull() {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(null));
    }

    @Test
    void combinedPatternAcceptsExactlyTheTwoForms() {
        Pattern either = Pattern.compile(Durations.PATTERN);
        for (String accepted : new String[]{"PT10S", "P1D", "500ms", "1h"}) {
            assertTrue(either.matcher(accepted).matches(), accepted);
        }
        for (String refused : new String[]{"P", "PT", "10", "1.5s", "-PT1S"}) {
            assertFalse(either.matcher(refused).matches(), refused);
        }
    }

    @Test
    void formatsAsIso() {
        assertEquals("PT0.5S", Durations.format(Durations.parse("500ms")));
    }
}
