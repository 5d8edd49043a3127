package io.ninetail.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The workflow-api as a client sees it: register a workflow, run one and wait for it, call a
 * webhook. One HTTP/1.1 client with keep-alive for every caller, as a load balancer would hold.
 */
public final class ApiClient {

    /** The longest any one call may take; the api's own waits are shorter. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;

    public ApiClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Registers (or stores a new version of) a workflow; fails with the api's answer when refused. */
    public void register(JsonNode definition) throws IOException, InterruptedException {
        HttpResponse<String> answer = post("/workflows", JSON.writeValueAsString(definition));
        if (answer.statusCode() != 200 && answer.statusCode() != 201) {
            throw new IOException("registering " + definition.path("name").asText() + " failed: HTTP "
                    + answer.statusCode() + " " + answer.body());
        }
    }

    /**
     * Starts a run of a registered workflow and waits for its end; answers the run as
     * {@code GET /runs/{id}} shows it. A run that did not complete is a {@link WrongAnswer}.
     */
    public JsonNode runAndWait(String workflow) throws IOException, InterruptedException {
        HttpResponse<String> answer = post("/workflows/" + workflow + "/runs?wait=PT30S", "null");
        if (answer.statusCode() != 200) {
            throw new WrongAnswer("run of " + workflow + ": HTTP " + answer.statusCode() + " " + abbreviate(answer.body()));
        }
        JsonNode run = JSON.readTree(answer.body());
        if (!"COMPLETED".equals(run.path("status").asText())) {
            throw new WrongAnswer("run of " + workflow + " ended " + run.path("status").asText() + ": "
                    + abbreviate(run.path("error").toString()));
        }
        return run;
    }

    /** Calls a webhook with a JSON body; answers whatever the api answered. */
    public HttpResponse<String> hook(String path, String jsonBody) throws IOException, InterruptedException {
        return post("/hooks/" + path, jsonBody);
    }

    public boolean ready() {
        try {
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(CALL_TIMEOUT)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static String abbreviate(String text) {
        return text == null || text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
