package io.ninetail.e2e;

import io.nats.client.Subscription;
import io.ninetail.testing.JetStreamProbe;
import io.ninetail.testing.LocalHttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill -9} of each kind of process while runs are in flight (DESIGN §8): every run still
 * completes once the process is back, with each block's output applied exactly once. The killed
 * process comes back the way a user brings it back, with {@code ./ninetail up}.
 */
@ExtendWith(NinetailExtension.class)
class CrashIT {

    private static final Duration AT_GATES = Duration.ofSeconds(90);
    private static final Duration FINISH = Duration.ofSeconds(120);
    private static final LocalHttpServer SITE = new LocalHttpServer();
    private static LaunchedSystem system;
    private static Api api;

    @BeforeAll
    static void launched(LaunchedSystem launched) {
        system = launched;
        api = new Api(launched);
    }

    /** Whatever a test killed runs again, also after a failure: the next test finds the system whole. */
    @AfterEach
    void everythingRuns() {
        system.up();
    }

    @AfterAll
    static void stopSite() {
        SITE.close();
    }

    @Test
    void killedSchedulerLosesNoRunAndAppliesNoResultTwice() {
        InFlightRuns runs = InFlightRuns.ofRegistered(api, SITE, "scheduler-crash");
        runs.awaitEveryFetchAtItsGate(AT_GATES);
        try (JetStreamProbe nats = new JetStreamProbe(system.natsUrl())) {
            Subscription ends = nats.subscribe("workflow.*.complete");
            runs.releaseFirstHalf();
            // Killed while it is busy with the first half's results; the second half is certainly unfinished.
            JetStreamProbe.next(ends, FINISH);
            system.kill("scheduler");
            runs.releaseSecondHalf();
            awaitResultsWaiting(nats, InFlightRuns.RUNS / 2);
        }

        system.up();

        runs.assertEveryRunCompletedOnce(FINISH);
        assertEquals(InFlightRuns.RUNS, runs.pageRequests(), "each fetch ran once: a resent input is de-duplicated");
    }

    @Test
    void killedFetchReplicaIsReplacedByAnotherForItsTasks() {
        InFlightRuns runs = InFlightRuns.ofRegistered(api, SITE, "fetch-crash");
        runs.awaitEveryFetchAtItsGate(AT_GATES);
        Map<String, Double> active = new LinkedHashMap<>();
        system.processes().stream().filter(name -> name.equals("fetch") || name.startsWith("fetch-"))
                .forEach(replica -> active.put(replica, Metrics.value(system, replica,
                        "ninetail_block_executions_active", Map.of("type", "fetch"))));
        String victim = active.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        int lost = active.get(victim).intValue();
        assertEquals(InFlightRuns.RUNS, active.values().stream().mapToDouble(Double::doubleValue).sum(),
                "every fetch is in hand somewhere: " + active);

        system.kill(victim);
        runs.releaseAll();

        // No restart: after the ack-wait the other replicas get the killed one's tasks again.
        runs.assertEveryRunCompletedOnce(FINISH);
        assertEquals(InFlightRuns.RUNS + lost, runs.pageRequests(),
                "the " + lost + " fetches " + victim + " died with were made again, the others once: " + active);
        assertFalse(system.alive(victim), victim + " stayed dead: nothing was restarted");
    }

    @Test
    void runsGoOnWhileTheApiIsDeadAndItAnswersForThemWhenBack() {
        InFlightRuns runs = InFlightRuns.ofInline(api, SITE, "api-crash");
        runs.awaitEveryFetchAtItsGate(AT_GATES);
        system.kill("api");
        try (JetStreamProbe nats = new JetStreamProbe(system.natsUrl())) {
            Subscription ends = nats.subscribe("workflow.*.complete");
            runs.releaseAll();
            Set<String> completed = new HashSet<>();
            Instant deadline = Instant.now().plus(FINISH);
            while (!completed.containsAll(runs.runIds())) {
                completed.add(JetStreamProbe.next(ends, Duration.between(Instant.now(), deadline)).getSubject().split("\\.")[1]);
            }
        }
        assertFalse(system.alive("api"), "every run completed without the api");

        system.up();

        runs.assertEveryRunCompletedOnce(FINISH);
        assertEquals(InFlightRuns.RUNS, runs.pageRequests(), "each fetch ran once");
    }

    @Test
    void runsResumeWhenNatsServerIsKilledAndStartedAgainOnItsStore() {
        InFlightRuns runs = InFlightRuns.ofRegistered(api, SITE, "nats-crash");
        runs.awaitEveryFetchAtItsGate(AT_GATES);
        try (JetStreamProbe nats = new JetStreamProbe(system.natsUrl())) {
            Subscription ends = nats.subscribe("workflow.*.complete");
            runs.releaseFirstHalf();
            JetStreamProbe.next(ends, FINISH);
        }
        system.kill("nats");
        // These fetches finish while there is no NATS: their results cannot be stored yet.
        runs.releaseSecondHalf();

        system.up();

        runs.assertEveryRunCompletedOnce(FINISH);
        assertTrue(runs.pageRequests() >= InFlightRuns.RUNS,
                "a fetch whose result did not reach NATS is made again (at least once), " + runs.pageRequests());
    }

    /**
     * {@code count} results wait in BLOCK_RESULT: stored while no scheduler takes them (not yet
     * delivered, or delivered to the killed one and never acknowledged).
     */
    private static void awaitResultsWaiting(JetStreamProbe nats, int count) {
        org.awaitility.Awaitility.await(count + " results waiting for the scheduler").atMost(FINISH).until(() -> {
            var scheduler = nats.consumer("BLOCK_RESULT", "scheduler-results");
            return scheduler.getNumPending() + scheduler.getNumAckPending() >= count;
        });
    }
}
