package io.ninetail.testing;

import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NatsServerResourceTest {

    @Test
    void missingBinaryStopsWithOneLineNamingTheInstallCommand() {
        var error = assertThrows(IllegalStateException.class,
                () -> NatsServerResource.findBinary("/nonexistent/nats-server", ""));
        assertEquals("nats-server not found: install it with `sudo apt-get update && sudo apt-get install -y nats-server`"
                + " (or set NATS_SERVER_BIN)", error.getMessage());
        assertFalse(error.getMessage().contains("\n"));
    }

    @Test
    void serverRunsJetStreamOnLoopbackAndCleansUpItsStore() throws Exception {
        NatsServerResource.RunningNats nats = NatsServerResource.startServer();
        try (Connection connection = Nats.connect(nats.url())) {
            assertTrue(nats.url().startsWith("nats://127.0.0.1:"));
            assertTrue(connection.getServerInfo().isJetStreamAvailable());
        } finally {
            nats.close();
        }
        assertFalse(Files.exists(nats.storeDir()), "the temporary store is deleted");
    }
}
