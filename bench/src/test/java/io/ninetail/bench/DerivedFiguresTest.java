package io.ninetail.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The figures computed from others: hop overhead, and the verdicts of start-up and scale-out. */
class DerivedFiguresTest {

    @Test
    void hopOverheadIsTheChainMinusTheSingleRunOverTheNineExtraHopsAndComparedWithTheFloor() {
        Latencies single = new Latencies(100, 20, 25, 40, 50, 21);
        Latencies chain = new Latencies(100, 38, 52, 112, 130, 40);
        Latencies floor = new Latencies(1000, 0.5, 0.7, 2, 3, 0.55);

        Result overhead = HopScenario.overhead(single, chain, floor, 0);

        assertEquals(2, overhead.latencies().p50(), 1e-9);
        assertEquals(3, overhead.latencies().p90(), 1e-9);
        assertEquals(8, overhead.latencies().p99(), 1e-9);
        assertEquals("per hop = (chain − single) / 9; floor p50 0.500 ms, p99 2 ms: per hop p50 = 4× floor, "
                + "p99 = 4× floor", overhead.figures());
        assertEquals("p50 ≤ 2 ms: met; p99 ≤ 10 ms: met; p50 / floor p50 ≤ 10×: met", overhead.target());
    }

    @Test
    void startUpTargetsAreTheFunctionsAndTheApiIsComparedWithThem() {
        Latencies ready = new Latencies(3, 2100, 2300, 2300, 2300, 2150);

        assertEquals("ready p50 ≤ 1.50 s: missed by 0.600 s; RSS ≤ 150 MB: met",
                StartupScenario.target("fetch", ready, 131));
        assertEquals("(functions' targets) ready p50 ≤ 1.50 s: missed by 0.600 s; RSS ≤ 150 MB: missed by 30 MB",
                StartupScenario.target("api", ready, 180));
    }

    @Test
    void scaleOutSaysWhetherEachStepGrew() {
        assertEquals("grows with replicas: (first step)", ScaleOutScenario.growth(Double.NaN, 120));
        assertEquals("grows with replicas: yes, 1.50× the previous step", ScaleOutScenario.growth(100, 150));
        assertEquals("grows with replicas: no, 0.900× the previous step", ScaleOutScenario.growth(100, 90));
    }
}
