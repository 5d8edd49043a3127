package io.ninetail.bench;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesAPageOfAboutTwentyKilobytesWithATitleAndFiftyRelativeLinks() throws Exception {
        try (PageServer server = PageServer.start(Duration.ZERO)) {
            HttpResponse<String> answer = get(server.pageUrl());

            assertEquals(200, answer.statusCode());
            assertTrue(answer.headers().firstValue("content-type").orElseThrow().startsWith("text/html"));
            String html = answer.body();
            assertTrue(html.length() >= 19_000 && html.length() <= 21_000, "page of " + html.length() + " bytes");
            assertTrue(html.contains("<title>" + server.page().title() + "</title>"));
            List<String> hrefs = new ArrayList<>();
            Matcher matcher = Pattern.compile("href=\"([^\"]+)\"").matcher(html);
            while (matcher.find()) {
                hrefs.add(server.origin() + matcher.group(1));
            }
            assertEquals(ScrapePage.LINKS, hrefs.size());
            assertEquals(server.page().links(), hrefs);
        }
    }

    @Test
    void aDelayedServerAnswersManyRequestsInAboutOneDelay() throws Exception {
        Duration delay = Duration.ofMillis(200);
        try (PageServer server = PageServer.start(delay)) {
            long before = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(server.smallUrl(i))).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                assertEquals(200, answer.get().statusCode());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - before);

            assertTrue(took.compareTo(delay) >= 0, "answered before the delay: " + took);
            // Delays are timers, not sleeping threads: 20 requests do not queue behind 4 handlers.
            assertTrue(took.compareTo(delay.multipliedBy(4)) < 0, "20 requests took " + took);
            assertEquals(20, server.served());
        }
    }

    @Test
    void answersOnAKeptAliveConnectionWithoutTheDelayedAckWait() throws Exception {
        try (PageServer server = PageServer.start(Duration.ZERO)) {
            HttpClient keepAlive = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            long fastest = Long.MAX_VALUE;
            for (int i = 0; i < 20; i++) {
                long before = System.nanoTime();
                keepAlive.send(HttpRequest.newBuilder(URI.create(server.smallUrl(i))).build(),
                        HttpResponse.BodyHandlers.ofString());
                fastest = Math.min(fastest, System.nanoTime() - before);
            }

            // With Nagle's algorithm on, every answer waits ~40 ms for the client's delayed ACK.
            assertTrue(Duration.ofNanos(fastest).compareTo(Duration.ofMillis(20)) < 0,
                    "fastest of 20 answers took " + Duration.ofNanos(fastest));
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
