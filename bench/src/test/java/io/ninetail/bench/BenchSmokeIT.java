package io.ninetail.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real harness against a real system started by the launcher (own ports, a temporary
 * home): every scenario, with the smoke plan's tiny loops, must produce its rows with no error.
 * It starts the whole system three times (once, then twice for scale-out), which takes minutes
 * on two cores, so it runs only when asked: {@code ./mvnw -B verify -pl bench -Dninetail.bench.smoke=true}.
 */
@EnabledIfSystemProperty(named = "ninetail.bench.smoke", matches = "true")
class BenchSmokeIT {

    private static final List<String> EXPECTED_ROWS = List.of("floor: JetStream round trip", "hop: 1 transform",
            "hop: chain of 10 transforms", "hop overhead (per hop)", "webhook scrape c=1", "webhook scrape c=16",
            "webhook scrape c=64", "webhook scrape + 1 transform c=64", "fan-out: run of 1 fetch", "fan-out of 50 fetches + join", "start-up: api",
            "start-up: fetch", "start-up: hook", "start-up: html-scraper", "start-up: response", "start-up: scheduler",
            "start-up: transform", "scale-out: fetch ×1, html-scraper ×1", "scale-out: fetch ×2, html-scraper ×2");

    @Test
    void everyScenarioProducesItsRowsWithoutErrors(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("BENCHMARKS.md");
        Options options = Options.parse("--smoke", "--root", System.getProperty("ninetail.root"),
                "--home", dir.resolve("home").toString(), "--output", output.toString(),
                "--port-base", Integer.toString(freePortBase()));

        List<Result> results = new Bench(options, System.out).run();

        assertEquals(EXPECTED_ROWS, results.stream().map(Result::scenario).toList());
        List<Result> failing = results.stream().filter(r -> r.errors() > 0).toList();
        assertTrue(failing.isEmpty(), "rows with errors: " + failing);
        assertTrue(results.stream().filter(r -> !r.scenario().startsWith("hop overhead"))
                .allMatch(r -> r.count() > 0), "every measured row has measurements: " + results);
        List<String> lines = Files.readAllLines(output);
        assertEquals(EXPECTED_ROWS.size(), lines.stream().filter(l -> l.startsWith("| 20")).count());
    }

    /** A base whose every port the bench would use (apps with two replicas) is free right now. */
    private static int freePortBase() throws IOException {
        for (int base = 25200; base < 60000; base += 1000) {
            Ports ports = Ports.fromBase(base);
            List<Integer> needed = new java.util.ArrayList<>(List.of(ports.nats(), ports.natsMonitor(), ports.api()));
            IntStream.rangeClosed(0, 9).forEach(app -> {
                needed.add(ports.apps() + app);
                needed.add(ports.apps() + app + 100);
            });
            if (needed.stream().allMatch(BenchSmokeIT::free)) {
                return base;
            }
        }
        throw new IOException("no free block of ports for the bench");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
