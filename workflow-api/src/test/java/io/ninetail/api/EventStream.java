package io.ninetail.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** A Server-Sent Events client as a browser's EventSource would read {@code GET /runs/{id}/events}. */
final class EventStream {

    /** One event: its {@code id}, {@code event} name and {@code data}. */
    record SseEvent(String id, String event, String data) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final HttpResponse<Stream<String>> response;

    private EventStream(HttpResponse<Stream<String>> response) {
        this.response = response;
    }

    /** Connects; returns once the server has answered with its headers (the stream is open). */
    static EventStream open(String url) {
        try {
            return new EventStream(HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int status() {
        return response.statusCode();
    }

    String contentType() {
        return response.headers().firstValue("content-type").orElse("");
    }

    /** Every event until the server closes the stream; fails if it stays open longer than {@code timeout}. */
    List<SseEvent> readUntilClosed(Duration timeout) {
        CompletableFuture<List<SseEvent>> all = CompletableFuture.supplyAsync(this::readAll);
        try {
            return all.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            response.body().close();
            throw new AssertionError("the event stream was still open after " + timeout);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private List<SseEvent> readAll() {
        List<SseEvent> events = new ArrayList<>();
        String id = null;
        String event = null;
        StringBuilder data = null;
        for (Iterator<String> lines = response.body().iterator(); lines.hasNext(); ) {
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
                String part = line.substring(5);
                part = part.startsWith(" ") ? part.substring(1) : part;
                data = data == null ? new StringBuilder(part) : data.append('\n').append(part);
            }
        }
        if (data != null) {
            events.add(new SseEvent(id, event, data.toString()));
        }
        return events;
    }
}
