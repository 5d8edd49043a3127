package io.ninetail.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/** The api over HTTP, as any client sees it: JSON in, JSON out, Server-Sent Events. */
final class Api {

    /** An answer: status, the run id header, and the body as text. */
    record Answer(int status, String runIdHeader, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    /** One Server-Sent Event of {@code GET /runs/{id}/events}. */
    record SseEvent(String id, String event, String data) {
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FINISHED = Set.of("COMPLETED", "FAILED", "CANCELLED");
    private static final Duration REQUEST = Duration.ofSeconds(120);

    private final LaunchedSystem system;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    Api(LaunchedSystem system) {
        this.system = system;
    }

    /** {@code POST /workflows}: registers a definition, either form; fails unless it is stored. */
    JsonNode register(String definition) {
        Answer answer = post("/workflows", definition);
        if (answer.status() != 200 && answer.status() != 201) {
            throw new AssertionError("POST /workflows answered " + answer.status() + ": " + answer.body());
        }
        return answer.json();
    }

    /** {@code POST /workflows/{name}/runs}: the new run's id. */
    String start(String workflow, String input) {
        return runId(post("/workflows/" + workflow + "/runs", input));
    }

    /** {@code POST /runs}: an ad-hoc run of an inline definition; the new run's id. */
    String startInline(String definition, String input) {
        return runId(post("/runs", "{\"workflow\": " + definition + ", \"input\": " + input + "}"));
    }

    private static String runId(Answer answer) {
        if (answer.status() != 202) {
            throw new AssertionError("starting a run answered " + answer.status() + ": " + answer.body());
        }
        return answer.json().get("runId").asText();
    }

    /** {@code GET /runs/{id}}. */
    JsonNode run(String runId) {
        Answer answer = get("/runs/" + runId);
        if (answer.status() != 200) {
            throw new AssertionError("GET /runs/" + runId + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.json();
    }

    /**
     * The run once it has finished (COMPLETED, FAILED or CANCELLED); if it does not finish within
     * {@code timeout}, fails with its record and the tail of every process's log.
     */
    JsonNode awaitFinished(String runId, Duration timeout) {
        JsonNode[] last = new JsonNode[1];
        try {
            await("run " + runId + " finished").atMost(timeout).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> FINISHED.contains((last[0] = run(runId)).path("status").asText()));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("run " + runId + " did not finish within " + timeout + "; its record: " + last[0]
                    + "\n" + system.logTails(), e);
        }
        return last[0];
    }

    /** Every event of the run's {@code /events} stream until the server closes it (the run has ended). */
    List<SseEvent> events(String runId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(system.api("/runs/" + runId + "/events")))
                .header("accept", "text/event-stream").timeout(REQUEST).build();
        try {
            HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET /runs/" + runId + "/events answered " + response.statusCode());
            }
            try (Stream<String> lines = response.body()) {
                return parse(lines.iterator());
            }
        } catch (IOException e) {
            throw new AssertionError("GET /runs/" + runId + "/events: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static List<SseEvent> parse(Iterator<String> lines) {
        List<SseEvent> events = new ArrayList<>();
        String id = null;
        String event = null;
        StringBuilder data = null;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(new SseEvent(id, event, data.toString()));
                }
                id = null;
                event = null;
                data = null;
            } else if (line.startsWith("id:")) {
                id = line.substring(3).strip();
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                String part = line.substring(5).stripLeading();
                data = data == null ? new StringBuilder(part) : data.append('\n').append(part);
            }
        }
        if (data != null) {
            events.add(new SseEvent(id, event, data.toString()));
        }
        return events;
    }

    Answer post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(system.api(path))).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(REQUEST).build());
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(system.api(path))).GET().timeout(REQUEST).build());
    }

    /** A POST that does not wait: for many callers at once. */
    CompletableFuture<Answer> postAsync(String path, String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(system.api(path)))
                        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                        .timeout(REQUEST).build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(Api::answer);
    }

    private Answer send(HttpRequest request) {
        try {
            return answer(http.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Answer answer(HttpResponse<String> response) {
        return new Answer(response.statusCode(), response.headers().firstValue("ninetail-run-id").orElse(null),
                response.headers().firstValue("content-type").orElse(null), response.body());
    }
}
