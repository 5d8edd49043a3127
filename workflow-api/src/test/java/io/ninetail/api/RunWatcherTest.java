package io.ninetail.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.ninetail.core.nats.Subjects;
import io.ninetail.core.run.BlockStatus;
import io.ninetail.testing.NatsServerResource;
import io.ninetail.testing.NatsServerResource.RunningNats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The api's run watching against a real nats-server, as the scheduler and the response function
 * would drive it: they publish a run's events, the watcher hands each to the watches waiting on
 * that run. What it subscribes to is read from the server's monitoring ({@code /connz}).
 */
class RunWatcherTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> SHARED = RunWatcher.RUN_EVENTS.stream().sorted().toList();

    private static RunningNats nats;
    /** The engine's side: publishes the runs' events. */
    private static Connection engine;
    private Connection api;
    private RunWatcher watcher;

    @BeforeAll
    static void startNats() throws Exception {
        nats = NatsServerResource.startServer();
        engine = Nats.connect(nats.url());
    }

    @AfterAll
    static void stopNats() throws Exception {
        engine.close();
        nats.close();
    }

    @BeforeEach
    void connectApi() throws Exception {
        api = Nats.connect(nats.url());
        watcher = new RunWatcher(() -> api);
    }

    @AfterEach
    void closeApi() throws Exception {
        watcher.close();
        api.close();
    }

    @Test
    void theFirstWatchIsOpenOnceTheServerHasItsSubscriptions() throws Exception {
        String run = newRunId();
        RunWatcher.Watch watch = watcher.open(run, Awaited.END);

        // No flush on the api's side: open() itself must have waited for the server.
        engine.publish(Subjects.workflowComplete(run), new byte[0]);

        assertEquals("workflow.complete", watch.settled().get(WAIT.toSeconds(), TimeUnit.SECONDS).type());
        assertEquals(SHARED, subscriptions());
    }

    @Test
    void watchingManyRunsSubscribesNothingPerRunAndClosedWatchesLeaveNoEntry() throws Exception {
        watcher.open(newRunId(), Awaited.END).close();
        List<String> before = subscriptions();
        assertEquals(SHARED, before, "the ends and responses of all runs, subscribed once");

        // As concurrent webhook callers do: open, get the answer, close.
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                answers.add(callers.submit(() -> {
                    String run = newRunId();
                    try (RunWatcher.Watch watch = watcher.open(run, Awaited.END_OR_RESPONSE)) {
                        engine.publish(Subjects.workflowResponse(run), new byte[0]);
                        return watch.settled().get(WAIT.toSeconds(), TimeUnit.SECONDS).type();
                    }
                }));
            }
            for (Future<String> answer : answers) {
                assertEquals("workflow.response", answer.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            }
        } finally {
            callers.shutdownNow();
        }

        assertEquals(before, subscriptions(), "no subscription left behind, none added");
        assertEquals(0, watcher.runsWaitedOn(), "every closed watch is gone from the map");
    }

    @Test
    void aWatchIsNotSettledByAnotherRunsEvents() throws Exception {
        String a = newRunId();
        String b = newRunId();
        RunWatcher.Watch onA = watcher.open(a, Awaited.END_OR_RESPONSE);
        RunWatcher.Watch onB = watcher.open(b, Awaited.END);

        engine.publish(Subjects.workflowResponse(b), new byte[0]);
        engine.publish(Subjects.workflowFailed(b), new byte[0]);

        assertTrue(onB.settled().get(WAIT.toSeconds(), TimeUnit.SECONDS).isEnd(), "b's end, not its response");
        handledSoFar();
        assertFalse(onA.settled().isDone(), "b's events are not a's");

        engine.publish(Subjects.workflowResponse(a), new byte[0]);
        assertTrue(onA.settled().get(WAIT.toSeconds(), TimeUnit.SECONDS).isResponse());
        onA.close();
        onB.close();
        assertEquals(0, watcher.runsWaitedOn());
    }

    @Test
    void everyWatchOnOneRunGetsTheEventItWaitsFor() throws Exception {
        String run = newRunId();
        RunWatcher.Watch forTheEnd = watcher.open(run, Awaited.END);
        RunWatcher.Watch forTheAnswer = watcher.open(run, Awaited.END_OR_RESPONSE);
        RunWatcher.Watch alsoForTheEnd = watcher.open(run, Awaited.END);

        engine.publish(Subjects.workflowResponse(run), new byte[0]);
        assertTrue(forTheAnswer.settled().get(WAIT.toSeconds(), TimeUnit.SECONDS).isResponse());
        forTheAnswer.close();
        handledSoFar();
        assertFalse(forTheEnd.settled().isDone(), "a response is not the end");

        engine.publish(Subjects.workflowCancelled(run), new byte[0]);
        assertEquals("workflow.cancelled", forTheEnd.settled().get(WAIT.toSeconds(), TimeUnit.SECONDS).type());
        assertEquals("workflow.cancelled", alsoForTheEnd.settled().get(WAIT.toSeconds(), TimeUnit.SECONDS).type());
        forTheEnd.close();
        alsoForTheEnd.close();
        assertEquals(0, watcher.runsWaitedOn());
    }

    @Test
    void aWatchClosedBeforeItsEventIsNeverSettled() throws Exception {
        String run = newRunId();
        RunWatcher.Watch gaveUp = watcher.open(run, Awaited.END);
        gaveUp.close();
        assertEquals(0, watcher.runsWaitedOn());

        engine.publish(Subjects.workflowComplete(run), new byte[0]);
        handledSoFar();

        assertFalse(gaveUp.settled().isDone(), "a caller that timed out is not answered later");
    }

    @Test
    void aBlockStateIsSubscribedToOnlyWhileAWatchAwaitsIt() throws Exception {
        watcher.open(newRunId(), Awaited.END).close();
        String run = newRunId();
        String awaited = Subjects.blockState(run, "in", BlockStatus.COMPLETED.token());

        RunWatcher.Watch watch = watcher.open(run, Awaited.endOrBlock("in", BlockStatus.COMPLETED));
        List<String> narrowed = new ArrayList<>(SHARED);
        narrowed.add(awaited);
        assertEquals(narrowed.stream().sorted().toList(), subscriptions(), "that one block's state, nothing more");

        engine.publish(Subjects.blockState(run, "in", BlockStatus.RUNNING.token()), new byte[0]);
        engine.publish(Subjects.blockState(run, "other", BlockStatus.COMPLETED.token()), new byte[0]);
        handledSoFar();
        assertFalse(watch.settled().isDone(), "another state, another block");

        engine.publish(awaited, new byte[0]);
        RunWatcher.Signal signal = watch.settled().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(signal.isBlockState("in", BlockStatus.COMPLETED.token()));

        watch.close();
        api.flush(WAIT);
        assertEquals(SHARED, subscriptions(), "the block's subscription ends with the watch");
        assertEquals(0, watcher.runsWaitedOn());
    }

    @Test
    void aWatchForABlockStateStillSeesTheRunEnd() throws Exception {
        String run = newRunId();
        RunWatcher.Watch watch = watcher.open(run, Awaited.endOrBlock("in", BlockStatus.COMPLETED));

        engine.publish(Subjects.workflowFailed(run), new byte[0]);

        assertEquals("workflow.failed", watch.settled().get(WAIT.toSeconds(), TimeUnit.SECONDS).type(),
                "a hook that refused the request fails the run before the hook completes");
        watch.close();
    }

    /**
     * Returns once the watcher has handled every event published so far: the events of all
     * subscriptions reach it in order on its one dispatcher, so when a later run's end has
     * arrived, the earlier events have been handed out (or dropped).
     */
    private void handledSoFar() throws Exception {
        String probe = newRunId();
        try (RunWatcher.Watch watch = watcher.open(probe, Awaited.END)) {
            engine.publish(Subjects.workflowComplete(probe), new byte[0]);
            watch.settled().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** The subjects the api's connection is subscribed to, as nats-server sees them, sorted. */
    private List<String> subscriptions() throws Exception {
        long cid = api.getServerInfo().getClientId();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + nats.monitorPort() + "/connz?subs=1&cid=" + cid)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode connections = JSON.readTree(response.body()).path("connections");
        assertEquals(1, connections.size(), response.body());
        List<String> subjects = new ArrayList<>();
        connections.get(0).path("subscriptions_list").forEach(subject -> subjects.add(subject.asText()));
        return subjects.stream().sorted().toList();
    }

    private static String newRunId() {
        return RunIds.next(Instant.now());
    }
}
