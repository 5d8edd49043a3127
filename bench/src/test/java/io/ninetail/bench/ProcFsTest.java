package io.ninetail.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against this very JVM's /proc entries. */
class ProcFsTest {

    private final long self = ProcessHandle.current().pid();

    @Test
    void aRunningJvmHoldsSomeMegabytes() {
        long rssKiB = ProcFs.rssKiB(self);

        assertTrue(rssKiB > 10_000 && rssKiB < 20_000_000, rssKiB + " KiB");
    }

    @Test
    void thisProcessStartedBeforeNowOnTheSameClock() {
        double started = ProcFs.startedAt(self);
        double now = ProcFs.uptime();

        assertTrue(started > 0 && started <= now, started + " s vs now " + now + " s");
        assertTrue(now - started < 24 * 3600, "a test JVM started " + (now - started) + " s ago");
    }

    @Test
    void idleCpuIsAShareOfTheWindow() throws Exception {
        double idle = ProcFs.cpuIdle(java.time.Duration.ofMillis(200));

        assertTrue(idle >= 0 && idle <= 1, "idle " + idle);
    }
}
