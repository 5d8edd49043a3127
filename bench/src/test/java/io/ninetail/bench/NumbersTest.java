package io.ninetail.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NumbersTest {

    @Test
    void threeSignificantDigitsBelowAHundredWholeNumbersAbove() {
        assertEquals("0.482", Numbers.format(0.4821));
        assertEquals("4.82", Numbers.format(4.821));
        assertEquals("48.2", Numbers.format(48.21));
        assertEquals("482", Numbers.format(482.1));
        assertEquals("12345", Numbers.format(12_345.4));
    }

    @Test
    void wholeNumbersWithoutDecimalsAndNothingAsADash() {
        assertEquals("2", Numbers.format(2.0));
        assertEquals("0", Numbers.format(0));
        assertEquals("—", Numbers.format(Double.NaN));
    }

    @Test
    void negativeOverheadsKeepTheirSign() {
        assertEquals("-0.250", Numbers.format(-0.25));
        assertEquals("-3.40×", Numbers.times(-3.4));
    }
}
