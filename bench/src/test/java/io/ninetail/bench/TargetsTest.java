package io.ninetail.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TargetsTest {

    @Test
    void aCeilingMetOrMissedByHowMuch() {
        assertEquals("p50 ≤ 15 ms: met", Targets.atMost("p50", 12.5, 15, "ms"));
        assertEquals("p50 ≤ 15 ms: missed by 7.20 ms", Targets.atMost("p50", 22.2, 15, "ms"));
    }

    @Test
    void aFloorMetOrMissedByHowMuch() {
        assertEquals("≥ 400 runs/s: met", Targets.atLeast("", 512, 400, "runs/s"));
        assertEquals("≥ 400 runs/s: missed by 120 runs/s", Targets.atLeast("", 280, 400, "runs/s"));
    }

    @Test
    void ratiosCarryTheirSignWithTheNumber() {
        assertEquals("p50 / floor p50 ≤ 10×: missed by 1.95×", Targets.atMost("p50 / floor p50", 11.95, 10, "×"));
    }

    @Test
    void aFigureNotMeasuredIsSaid() {
        assertEquals("p99 ≤ 10 ms: not measured", Targets.atMost("p99", Double.NaN, 10, "ms"));
    }

    @Test
    void errorsAndSeveralTargetsInOneCell() {
        assertEquals("≥ 400 runs/s: met; 0 errors: missed (3)",
                Targets.all(Targets.atLeast("", 401, 400, "runs/s"), Targets.noErrors(3)));
    }
}
