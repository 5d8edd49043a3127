package io.ninetail.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClosedLoopTest {

    @Test
    void stopsAfterItsCallsWhenTheyRunOutFirst() throws Exception {
        AtomicInteger calls = new AtomicInteger();

        Measurement measured = ClosedLoop.run(4, new ClosedLoop.Limits(Duration.ofMinutes(1), 1000),
                calls::incrementAndGet);

        assertEquals(1000, calls.get());
        assertEquals(1000, measured.latencies().count());
        assertEquals(0, measured.errors());
        assertTrue(measured.elapsed().compareTo(Duration.ofMinutes(1)) < 0);
    }

    @Test
    void stopsAtItsTimeWhenThatRunsOutFirst() throws Exception {
        Measurement measured = ClosedLoop.run(2, new ClosedLoop.Limits(Duration.ofMillis(300), Long.MAX_VALUE),
                () -> { });

        assertTrue(measured.elapsed().compareTo(Duration.ofMillis(300)) >= 0);
        assertTrue(measured.elapsed().compareTo(Duration.ofSeconds(10)) < 0, "took " + measured.elapsed());
        assertTrue(measured.throughput() > 0);
    }

    @Test
    void failuresAndWrongAnswersAreErrorsWithTheirFirstMessages() throws Exception {
        AtomicInteger calls = new AtomicInteger();

        Measurement measured = ClosedLoop.run(1, new ClosedLoop.Limits(Duration.ofMinutes(1), 10), () -> {
            int call = calls.incrementAndGet();
            if (call % 2 == 0) {
                throw new WrongAnswer("49 links, expected the page's 50");
            }
        });

        assertEquals(5, measured.errors());
        assertEquals(5, measured.latencies().count());
        assertEquals("WrongAnswer: 49 links, expected the page's 50", measured.firstError());
        assertEquals(1, measured.errorSamples().size());
    }
}
