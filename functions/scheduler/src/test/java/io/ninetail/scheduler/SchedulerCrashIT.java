package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.ninetail.core.event.NatsEventCodec;
import io.ninetail.core.nats.Topology;
import io.ninetail.core.run.BlockRun;
import io.ninetail.core.run.BlockStatus;
import io.ninetail.core.run.Run;
import io.ninetail.core.run.RunStatus;
import io.ninetail.scheduler.RunDriver.Started;
import io.ninetail.scheduler.TestExecutor.Execution;
import io.ninetail.testing.AppProcess;
import io.ninetail.testing.JetStreamProbe;
import io.ninetail.testing.NatsServerResource.RunningNats;
import io.ninetail.testing.NatsServerResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scheduler as separate processes, killed for real: no run is lost, no block result is
 * applied twice, and every block runs exactly as many times as its recorded attempts.
 */
class SchedulerCrashIT {

    private static final int RUNS = 50;
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration FINISH = Duration.ofSeconds(90);
    private static final String WORKFLOW = """
            {"name": "crash", "blocks": [
              {"id": "a", "type": "transform", "with": {"value": {"sleepMs": 200, "output": 1}}},
              {"id": "b", "type": "transform", "needs": ["a"], "with": {"value": {"sleepMs": 200, "output": "${ .a + 1 }"}}},
              {"id": "c", "type": "transform", "needs": ["a"], "with": {"value": {"sleepMs": 200, "output": "${ .a + 2 }"}}},
              {"id": "d", "type": "transform", "needs": ["b", "c"], "with": {"value": {"output": "${ .b + .c }"}}}
            ]}""";
    private static final Map<String, BlockStatus> WORKFLOW_ENDS = Map.of("a", BlockStatus.COMPLETED,
            "b", BlockStatus.COMPLETED, "c", BlockStatus.COMPLETED, "d", BlockStatus.COMPLETED);
    /** As WORKFLOW, with a retry and an error route on the way: d is still 5. */
    private static final String BRANCHING = """
            {"name": "branching", "blocks": [
              {"id": "a", "type": "transform", "with": {"value": {"sleepMs": 200, "output": 1}}},
              {"id": "flaky", "type": "transform", "needs": ["a"], "retry": {"maxAttempts": 2, "delay": "100ms"},
               "with": {"value": {"sleepMs": 100, "failAttempts": 1, "output": "${ .a + 1 }"}}},
              {"id": "broken", "type": "transform", "needs": ["a"], "with": {"value": {"sleepMs": 100, "fail": "BROKEN"}}},
              {"id": "rescue", "type": "transform", "needs": ["broken"], "runIf": "failure",
               "with": {"value": {"output": "${ if .broken.code == \\"BROKEN\\" then 3 else 0 end }"}}},
              {"id": "d", "type": "transform", "needs": ["flaky", "rescue"], "with": {"value": {"output": "${ .flaky + .rescue }"}}}
            ]}""";
    private static final Map<String, BlockStatus> BRANCHING_ENDS = Map.of("a", BlockStatus.COMPLETED,
            "flaky", BlockStatus.COMPLETED, "broken", BlockStatus.FAILED, "rescue", BlockStatus.COMPLETED,
            "d", BlockStatus.COMPLETED);
    /** Each scheduler names the runs it writes (Scheduler.update, at DEBUG). */
    private static final Pattern WROTE = Pattern.compile("run (\\S+): wrote revision");

    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();
    private final Path app = Path.of(System.getProperty("ninetail.app.dir", "target/quarkus-app"));
    private RunningNats nats;
    private JetStreamProbe probe;
    private TestExecutor executor;
    private Map<String, String> config;

    @BeforeEach
    void startNatsAndFunction() throws Exception {
        nats = NatsServerResource.startServer();
        probe = new JetStreamProbe(nats.url());
        config = Map.of("quarkus.messaging.nats.connection.servers", nats.url(),
                // a killed replica's messages come back quickly
                "ninetail.scheduler.ack-wait", "PT2S");
        try (AppProcess first = AppProcess.start("scheduler-init", app, config).awaitReady(START)) {
            // streams and buckets exist before the function subscribes
        }
        executor = new TestExecutor(nats.url(), (subject, event) -> {
            try {
                probe.connection().jetStream().publish(subject, NatsEventCodec.headers(event), event.data());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        executor.close();
        probe.close();
        nats.close();
    }

    @Test
    void killedSchedulerLosesNoRunAndAppliesNothingTwice() throws Exception {
        Subscription ends = probe.subscribe("workflow.*.complete");
        List<Started> runs = new ArrayList<>();
        AppProcess scheduler = AppProcess.start("scheduler-1", app, config).awaitReady(START);
        Subscription running = probe.subscribe("workflow.*.block.*.running");
        RunDriver driver = new RunDriver(probe);
        for (int i = 0; i < RUNS; i++) {
            runs.add(driver.start(WORKFLOW, "{}"));
        }
        for (int i = 0; i < RUNS / 2; i++) {
            JetStreamProbe.next(running, FINISH);
        }

        scheduler.kill();
        KeyValue runsBucket = probe.connection().keyValue(Topology.RUNS_BUCKET);
        long finishedAtKill = runs.stream().filter(run -> {
            try {
                var entry = runsBucket.get(run.runId());
                return entry != null && json.readValue(entry.getValue(), Run.class).status().finished();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).count();
        assertTrue(RUNS - finishedAtKill >= 40, "the scheduler died with most runs in flight ("
                + finishedAtKill + " of " + RUNS + " finished)");
        try (AppProcess restarted = AppProcess.start("scheduler-2", app, config).awaitReady(START)) {
            assertEveryRunCompletes(runs, ends, WORKFLOW_ENDS);
        }
    }

    @Test
    void restartDuringABackoffNeitherLosesNorShortensIt() throws Exception {
        RunDriver driver = new RunDriver(probe);
        Started run;
        try (AppProcess scheduler = AppProcess.start("scheduler-backoff", app, config).awaitReady(START)) {
            run = driver.start("""
                    {"name": "backoff", "blocks": [
                      {"id": "flaky", "type": "transform", "with": {"value": {"failAttempts": 1, "output": "ok"}},
                       "retry": {"maxAttempts": 2, "delay": "3s"}}]}""", "{}");
            driver.awaitBlock(run, "flaky", "ready", FINISH);
            scheduler.kill();
        }
        try (AppProcess restarted = AppProcess.start("scheduler-after-backoff", app, config).awaitReady(START)) {
            assertEquals("complete", driver.awaitEnd(run, FINISH).status());
        }
        List<Execution> attempts = executor.executions(run.runId(), "flaky");
        assertEquals(2, attempts.size());
        long waited = Duration.between(attempts.get(0).endedAt(), attempts.get(1).startedAt()).toMillis();
        assertTrue(waited >= 3000, "the 3 s backoff was kept across the restart, waited " + waited + " ms");
    }

    @Test
    void twoReplicasWorkingTheSameRunsAgree() throws Exception {
        Subscription ends = probe.subscribe("workflow.*.complete");
        Map<String, String> logged = new HashMap<>(config);
        logged.put("quarkus.log.category.\"io.ninetail.scheduler.Scheduler\".level", "DEBUG");
        try (AppProcess one = AppProcess.start("scheduler-a", app, logged).awaitReady(START);
             AppProcess two = AppProcess.start("scheduler-b", app, logged).awaitReady(START)) {
            RunDriver driver = new RunDriver(probe);
            List<Started> runs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                runs.add(driver.start(BRANCHING, "{}"));
            }
            assertEveryRunCompletes(runs, ends, BRANCHING_ENDS);
            Set<String> byOne = runsWritten(one);
            Set<String> byTwo = runsWritten(two);
            Set<String> byBoth = new HashSet<>(byOne);
            byBoth.retainAll(byTwo);
            byBoth.retainAll(runs.stream().map(Started::runId).toList());
            assertFalse(byBoth.isEmpty(), "some runs were changed by both replicas (one wrote " + byOne.size()
                    + " runs, the other " + byTwo.size() + ", both " + byBoth.size() + ")");
        }
    }

    private static Set<String> runsWritten(AppProcess scheduler) {
        Set<String> runIds = new HashSet<>();
        Matcher matcher = WROTE.matcher(scheduler.logText());
        while (matcher.find()) {
            runIds.add(matcher.group(1));
        }
        return runIds;
    }

    private void assertEveryRunCompletes(List<Started> runs, Subscription ends, Map<String, BlockStatus> blockEnds)
            throws Exception {
        Set<String> expected = new HashSet<>(runs.stream().map(Started::runId).toList());
        Set<String> completed = new HashSet<>();
        Instant deadline = Instant.now().plus(FINISH);
        while (!completed.containsAll(expected)) {
            Message end = JetStreamProbe.next(ends, Duration.between(Instant.now(), deadline));
            // A complete event sent again after a crash reaches plain subscribers twice; a set absorbs it.
            completed.add(end.getSubject().split("\\.")[1]);
            assertEquals(5, json.readTree(end.getData()).path("output").path("d").asInt(), "d = (1+1) + (1+2)");
        }
        KeyValue runsBucket = probe.connection().keyValue(Topology.RUNS_BUCKET);
        for (String runId : expected) {
            Run run = json.readValue(runsBucket.get(runId).getValue(), Run.class);
            assertEquals(RunStatus.COMPLETED, run.status(), runId);
            for (Map.Entry<String, BlockStatus> expectedEnd : blockEnds.entrySet()) {
                String blockId = expectedEnd.getKey();
                List<Execution> executions = executor.executions(runId, blockId);
                BlockRun block = run.block(blockId);
                assertEquals(expectedEnd.getValue(), block.status(), runId + "/" + blockId);
                assertEquals(block.attempts().size(), executions.size(),
                        runId + "/" + blockId + " ran as often as its attempts say: " + executions);
            }
        }
    }
}
