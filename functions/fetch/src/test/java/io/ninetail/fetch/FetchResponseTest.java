package io.ninetail.fetch;

import com.sun.net.httpserver.HttpServer;
import io.ninetail.core.block.BlockError;
import io.ninetail.testing.LocalHttpServer;
import io.ninetail.testing.LocalHttpServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What fetch makes of an answer: the output, or STATUS and BODY_TOO_LARGE. */
class FetchResponseTest {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final String HTTP_DATE_IN_TWO_MINUTES = DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(2));

    private static final LocalHttpServer SITE = new LocalHttpServer()
            .route("/json", request -> Reply.text(200, "application/json", "{\"items\": [1, 2], \"next\": null}"))
            .route("/problem", request -> Reply.text(200, "application/problem+json", "{\"title\": \"x\"}"))
            .route("/mislabelled", request -> Reply.text(200, "application/json", "<html>oops</html>"))
            .route("/latin", request -> new Reply(200, Map.of("content-type", "text/plain; charset=windows-1252"),
                    "Café crème".getBytes(WINDOWS_1252)))
            .route("/meta", request -> new Reply(200, Map.of("content-type", "text/html"),
                    "<html><head><meta charset=\"windows-1252\"><title>Café</title></head></html>".getBytes(WINDOWS_1252)))
            .route("/empty", request -> new Reply(204, Map.of(), new byte[0]))
            .route("/missing", request -> Reply.text(404, "text/plain", "no such page"))
            .route("/down", request -> Reply.text(503, "text/plain", "maintenance"))
            .route("/busy", request -> new Reply(429, Map.of("content-type", "text/plain", "retry-after", "7"),
                    "slow down".getBytes(StandardCharsets.UTF_8)))
            .route("/busy-until", request -> new Reply(429, Map.of("retry-after", HTTP_DATE_IN_TWO_MINUTES),
                    "later".getBytes(StandardCharsets.UTF_8)))
            .route("/long-error", request -> Reply.text(500, "text/plain", "e".repeat(2000)))
            .route("/big", request -> Reply.text(200, "text/plain", "x".repeat(10_000)));
    /** Streams its body in chunks without a content-length until the client hangs up. */
    private static final AtomicBoolean HUNG_UP = new AtomicBoolean();
    private static final HttpServer STREAM = streamingServer();
    private static final Fetching FETCH = new Fetching();

    @AfterAll
    static void stop() {
        FETCH.close();
        SITE.close();
        STREAM.stop(0);
    }

    @Test
    void aJsonAnswerIsParsed() {
        Fetch.Output output = FETCH.output("{\"url\": \"" + SITE.url("/json") + "\"}");
        assertEquals(200, output.status());
        assertEquals(2, output.body().get("items").get(1).asInt());
        assertTrue(output.body().get("next").isNull());
        assertEquals("application/json", output.headers().get("content-type"));
        assertEquals(31, output.bytes());
        assertTrue(output.elapsedMs() >= 0);
        assertEquals("x", FETCH.output("{\"url\": \"" + SITE.url("/problem") + "\"}").body().get("title").asText(),
                "…+json is JSON too");
    }

    @Test
    void aMislabelledJsonAnswerComesOutAsText() {
        assertEquals("<html>oops</html>", FETCH.output("{\"url\": \"" + SITE.url("/mislabelled") + "\"}").body().asText());
    }

    @Test
    void textIsDecodedWithTheDeclaredCharset() {
        assertEquals("Café crème", FETCH.output("{\"url\": \"" + SITE.url("/latin") + "\"}").body().asText());
    }

    @Test
    void htmlWithoutHeaderCharsetIsDecodedWithItsMetaCharset() {
        assertTrue(FETCH.output("{\"url\": \"" + SITE.url("/meta") + "\"}").body().asText().contains("<title>Café</title>"));
    }

    @Test
    void anEmptyBodyIsNull() {
        Fetch.Output output = FETCH.output("{\"url\": \"" + SITE.url("/empty") + "\"}");
        assertEquals(204, output.status());
        assertNull(output.body());
        assertEquals(0, output.bytes());
    }

    @Test
    void aClientErrorIsAPermanentStatusErrorWithAnExcerptOfTheBody() {
        BlockError error = FETCH.error("{\"url\": \"" + SITE.url("/missing") + "\"}");
        assertEquals("STATUS", error.code());
        assertFalse(error.retryable());
        assertEquals("GET " + SITE.url("/missing") + " answered 404", error.message());
        assertEquals(Map.of("status", 404, "body", "no such page"), error.details());
    }

    @Test
    void aServerErrorIsRetryable() {
        BlockError error = FETCH.error("{\"url\": \"" + SITE.url("/down") + "\"}");
        assertEquals("STATUS", error.code());
        assertTrue(error.retryable());
        assertEquals(503, error.details().get("status"));
    }

    @Test
    void tooManyRequestsIsRetryableNoSoonerThanRetryAfterSeconds() {
        BlockError error = FETCH.error("{\"url\": \"" + SITE.url("/busy") + "\"}");
        assertEquals("STATUS", error.code());
        assertTrue(error.retryable());
        assertEquals(429, error.details().get("status"));
        assertEquals(7000L, error.details().get("retryAfterMs"));
    }

    @Test
    void retryAfterAsAnHttpDateBecomesTheDelayUntilThen() {
        BlockError error = FETCH.error("{\"url\": \"" + SITE.url("/busy-until") + "\"}");
        long delay = (Long) error.details().get("retryAfterMs");
        assertTrue(delay > 100_000 && delay <= 120_000, "about two minutes, was " + delay);
    }

    @Test
    void theBodyExcerptOfAnErrorIsShort() {
        String excerpt = (String) FETCH.error("{\"url\": \"" + SITE.url("/long-error") + "\"}").details().get("body");
        assertEquals(513, excerpt.length());
        assertTrue(excerpt.endsWith("…"));
    }

    @Test
    void withoutFailOnStatusAnErrorStatusIsAnOrdinaryOutput() {
        Fetch.Output output = FETCH.output("""
                {"url": "%s", "failOnStatus": false}""".formatted(SITE.url("/missing")));
        assertEquals(404, output.status());
        assertEquals("no such page", output.body().asText());
    }

    @Test
    void aBodyDeclaredLargerThanMaxBodyBytesIsRefusedUnread() {
        BlockError error = FETCH.error("""
                {"url": "%s", "maxBodyBytes": 1000}""".formatted(SITE.url("/big")));
        assertEquals("BODY_TOO_LARGE", error.code());
        assertFalse(error.retryable());
        assertEquals(Map.of("maxBodyBytes", 1000L, "receivedBytes", 10_000L), error.details());
    }

    @Test
    void aStreamedBodyIsCutOffOnceItPassesMaxBodyBytes() {
        BlockError error = FETCH.error("""
                {"url": "http://127.0.0.1:%d/stream", "maxBodyBytes": 100000}""".formatted(STREAM.getAddress().getPort()));
        assertEquals("BODY_TOO_LARGE", error.code());
        assertTrue((Long) error.details().get("receivedBytes") > 100_000L);
        await("fetch closed the connection").atMost(Duration.ofSeconds(5)).untilTrue(HUNG_UP);
    }

    @Test
    void maxBodyBytesIsAnUpperBoundNotAnExactSize() {
        assertEquals(10_000, FETCH.output("""
                {"url": "%s", "maxBodyBytes": 10000}""".formatted(SITE.url("/big"))).bytes());
    }

    /** An endless body in 8 KiB chunks (no content-length): fetch must stop reading, not run out of memory. */
    private static HttpServer streamingServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/stream", exchange -> {
                exchange.getResponseHeaders().add("content-type", "text/plain");
                exchange.sendResponseHeaders(200, 0);
                byte[] chunk = new byte[8192];
                try (OutputStream out = exchange.getResponseBody()) {
                    while (true) {
                        out.write(chunk);
                        out.flush();
                    }
                } catch (java.io.IOException closedByTheClient) {
                    HUNG_UP.set(true);
                } finally {
                    exchange.close();
                }
            });
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.start();
            return server;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
