package io.ninetail.bench;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyRecorderTest {

    @Test
    void percentilesOfOneToAHundredMillisecondsAreTheirRanks() {
        LatencyRecorder recorder = new LatencyRecorder();
        IntStream.rangeClosed(1, 100).forEach(ms -> recorder.recordMillis(ms));

        Latencies latencies = recorder.latencies();

        assertEquals(100, latencies.count());
        assertEquals(50, latencies.p50(), 0.05);
        assertEquals(90, latencies.p90(), 0.09);
        assertEquals(99, latencies.p99(), 0.1);
        assertEquals(100, latencies.max(), 0.1);
        assertEquals(50.5, latencies.mean(), 0.05);
    }

    @Test
    void subMillisecondRoundTripsKeepTheirMicroseconds() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.recordNanos(482_000);

        assertEquals(0.482, recorder.latencies().p50(), 0.001);
    }

    @Test
    void nothingRecordedIsNoneRatherThanZero() {
        Latencies latencies = new LatencyRecorder().latencies();

        assertTrue(latencies.isEmpty());
        assertTrue(Double.isNaN(latencies.p50()));
    }

    @Test
    void aDurationBeyondTenMinutesIsClampedNotAFailure() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.recordMillis(3_600_000);

        assertEquals(600_000, recorder.latencies().max(), 600);
    }
}
