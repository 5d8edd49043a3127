package io.ninetail.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LaunchedSystemTest {

    @Test
    void forgettingStoredDataEmptiesTheJetStreamStoreAndKeepsTheLogs(@TempDir Path home) throws Exception {
        Path stream = Files.createDirectories(home.resolve("nats/jetstream/$G/streams/KV_runs/msgs"));
        Files.writeString(stream.resolve("1.blk"), "runs of an earlier bench");
        Path log = Files.createDirectories(home.resolve("logs")).resolve("api.log");
        Files.writeString(log, "kept");

        new LaunchedSystem(home, home, Ports.fromBase(24200)).forgetStoredData();

        assertFalse(Files.exists(home.resolve("nats")), "the store is gone");
        assertTrue(Files.exists(log), "the logs stay");
    }
}
