package io.ninetail.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuPerRunTest {

    @Test
    void eachProcessesCpuBetweenTheSnapshotsIsSharedOverTheRunsLargestFirst() {
        CpuPerRun.Snapshot before = new CpuPerRun.Snapshot(Map.of("scheduler", 2.0, "api", 1.0, "gone", 5.0));
        CpuPerRun.Snapshot after = new CpuPerRun.Snapshot(Map.of("scheduler", 2.1, "api", 1.5, "new", 9.0));

        CpuPerRun cpu = CpuPerRun.between(before, after, 100);

        assertEquals(List.of("api", "scheduler"), List.copyOf(cpu.millisPerRun().keySet()),
                "a process that ended or started meanwhile is left out");
        assertEquals(5.0, cpu.millisPerRun().get("api"), 1e-9);
        assertEquals(1.0, cpu.millisPerRun().get("scheduler"), 1e-9);
        assertEquals(6.0, cpu.totalMillis(), 1e-9);
        assertEquals("CPU 6.0 ms/run (api 5.0, scheduler 1.0)", cpu.toString());
    }

    @Test
    void aProcessesCpuTimeIsReadFromProcAndGrowsAsItWorks() {
        long self = ProcessHandle.current().pid();
        double start = ProcFs.cpuSeconds(self);
        long deadline = System.nanoTime() + 10_000_000_000L;
        double now = start;
        long spin = 0;
        while (now < start + 0.05 && System.nanoTime() < deadline) {
            for (int i = 0; i < 1_000_000; i++) {
                spin += i ^ spin;
            }
            now = ProcFs.cpuSeconds(self);
        }
        assertTrue(now >= start + 0.05, "CPU seconds went from " + start + " to " + now + " (" + spin + ")");
        CpuPerRun.Snapshot snapshot = CpuPerRun.Snapshot.of(Map.of("bench", self, "no-such-process", Long.MAX_VALUE));
        assertEquals(List.of("bench"), List.copyOf(snapshot.seconds().keySet()));
        assertTrue(snapshot.seconds().get("bench") >= now);
    }
}
