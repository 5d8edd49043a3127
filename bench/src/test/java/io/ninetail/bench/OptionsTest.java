package io.ninetail.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionsTest {

    @Test
    void byDefaultTheFullBenchOfEveryScenarioInItsOwnHomeAndPortsAppendingToBenchmarksMd() {
        Options options = Options.parse("--root", "/repo");

        assertEquals("full", options.plan().name());
        assertTrue(Options.SCENARIOS.stream().allMatch(options::selected));
        assertEquals(Path.of("/repo/.ninetail-bench"), options.home());
        assertEquals(Path.of("/repo/BENCHMARKS.md"), options.output());
        assertTrue(options.append());
        assertEquals(new Ports(24222, 24223, 24280, 24281), options.ports());
    }

    @Test
    void onlyKeepsTheBenchOrderAndHopBringsTheFloorItIsComparedWith() {
        Options options = Options.parse("--quick", "--only", "webhook,hop", "--no-append");

        assertEquals(List.of("floor", "hop", "webhook"), options.only());
        assertFalse(options.selected("scaleout"));
        assertEquals("quick", options.plan().name());
        assertFalse(options.append());
    }

    @Test
    void mistakesAreNamed() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Options.parse("--only", "flor"));
        assertTrue(unknown.getMessage().contains("no scenario 'flor'"));
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--fast"));
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--port-base"));
        assertThrows(IllegalArgumentException.class, () -> Options.parse("--port-base", "80"));
    }

    @Test
    void noPortOfTheBenchIsOneOfTheDevSystemsDefaults() {
        Ports ports = Ports.fromBase(Ports.DEFAULT_BASE);
        List<Integer> devDefaults = List.of(4222, 8222, 8080, 8081, 8082, 8083, 8084, 8085, 8090, 4000);

        for (int replica = 0; replica < 9; replica++) {
            for (int app = 0; app <= 9; app++) {
                assertFalse(devDefaults.contains(ports.apps() + app + 100 * replica));
            }
        }
        assertFalse(devDefaults.contains(ports.nats()));
        assertFalse(devDefaults.contains(ports.natsMonitor()));
        assertFalse(devDefaults.contains(ports.api()));
    }
}
