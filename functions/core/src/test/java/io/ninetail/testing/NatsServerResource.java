package io.ninetail.testing;

import io.nats.NatsServerRunner;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A real {@code nats-server -js} for tests: a free port, a temporary store directory, stopped
 * and deleted afterwards. Used as a Quarkus test resource by every module, and directly by
 * plain JUnit tests through {@link #startServer()}.
 */
public class NatsServerResource implements QuarkusTestResourceLifecycleManager {

    public static final String INSTALL_HINT =
            "nats-server not found: install it with `sudo apt-get update && sudo apt-get install -y nats-server` (or set NATS_SERVER_BIN)";

    /** The server's own chatter stays out of test output; its warnings and errors do not. */
    private static final Logger QUIET = quietLogger();

    private RunningNats nats;

    @Override
    public Map<String, String> start() {
        nats = startServer();
        return Map.of("quarkus.messaging.nats.connection.servers", nats.url());
    }

    /**
     * Into the test: the server's URL into a {@code @NatsUrl String} field, and the server itself into
     * a {@link RunningNats} field, for a test that stops it and starts it again (and closes what it
     * started again).
     */
    @Override
    public void inject(TestInjector testInjector) {
        if (nats != null) {
            testInjector.injectIntoFields(nats.url(), new TestInjector.AnnotatedAndMatchesType(NatsUrl.class, String.class));
            testInjector.injectIntoFields(nats, new TestInjector.MatchesType(RunningNats.class));
        }
    }

    @Override
    public void stop() {
        if (nats != null) {
            nats.close();
        }
    }

    /**
     * A server that the caller must close. A port found free can be taken by another process's
     * connection before nats-server binds it, so a start that fails is tried again on new ports.
     */
    public static RunningNats startServer() {
        Path store;
        try {
            store = Files.createTempDirectory("ninetail-nats-");
        } catch (IOException e) {
            throw new IllegalStateException("no temporary store for nats-server: " + e.getMessage(), e);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return startServer(freePort(), freePort(), store);
            } catch (IllegalStateException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static RunningNats startServer(int port, int monitorPort, Path store) {
        Path binary = findBinary();
        try {
            NatsServerRunner runner = NatsServerRunner.builder()
                    .executablePath(binary)
                    .port(port)
                    .jetstream(true)
                    .customArgs(List.of("-a", "127.0.0.1", "-sd", store.toString(), "-m", Integer.toString(monitorPort)))
                    .outputLogger(QUIET)
                    .build();
            return new RunningNats(runner, store, monitorPort);
        } catch (IOException e) {
            throw new IllegalStateException("could not start nats-server " + binary + ": " + e.getMessage(), e);
        }
    }

    private static Logger quietLogger() {
        Logger logger = Logger.getLogger("nats-server");
        logger.setLevel(Level.WARNING);
        return logger;
    }

    static Path findBinary() {
        return findBinary(System.getenv("NATS_SERVER_BIN"), System.getenv().getOrDefault("PATH", ""));
    }

    /** {@code configured} (NATS_SERVER_BIN) wins; else the PATH, then where Debian installs it. */
    static Path findBinary(String configured, String path) {
        Stream<Path> candidates = configured != null
                ? Stream.of(Path.of(configured))
                : Stream.concat(
                        Stream.of(path.split(":")).filter(dir -> !dir.isBlank()).map(dir -> Path.of(dir, "nats-server")),
                        Stream.of(Path.of("/usr/sbin/nats-server"), Path.of("/usr/local/sbin/nats-server")));
        return candidates.filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException(INSTALL_HINT));
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /** A running server; closing it stops the process and deletes its store. */
    public record RunningNats(NatsServerRunner runner, Path storeDir, int monitorPort) implements AutoCloseable {

        public String url() {
            return "nats://127.0.0.1:" + runner.getPort();
        }

        public int port() {
            return runner.getPort();
        }

        /**
         * Stops the server and starts a new one on the same port and store, as an operator
         * restarting it would: clients reconnect to it, JetStream finds its streams again.
         */
        public RunningNats restart() {
            stop();
            return startAgain();
        }

        /** Stops the server and keeps its store, for {@link #startAgain}. */
        public void stop() {
            try {
                runner.shutdown(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** A new server on the port and store of this stopped one. */
        public RunningNats startAgain() {
            return startServer(port(), monitorPort, storeDir);
        }

        @Override
        public void close() {
            try {
                runner.shutdown(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                deleteRecursively(storeDir);
            }
        }

        private static void deleteRecursively(Path dir) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is not worth failing a test for
            }
        }
    }
}
