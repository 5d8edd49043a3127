package io.ninetail.fetch;

import io.ninetail.testing.LocalHttpServer;
import io.ninetail.testing.LocalHttpServer.Recorded;
import io.ninetail.testing.LocalHttpServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What fetch sends: method, headers, query and body, as a real server receives them. */
class FetchRequestTest {

    private static final LocalHttpServer SITE = new LocalHttpServer()
            .route("/echo", request -> Reply.text(200, "text/plain", request.method()));
    private static final Fetching FETCH = new Fetching();

    @AfterAll
    static void stop() {
        FETCH.close();
        SITE.close();
    }

    /** The one request the site got for a URL made unique with {@code ?id=…}. */
    private static Recorded received(String id) {
        List<Recorded> requests = SITE.requests("/echo").stream()
                .filter(r -> r.query() != null && r.query().contains("id=" + id)).toList();
        assertEquals(1, requests.size(), "requests with id " + id);
        return requests.get(0);
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
    void everyMethodIsSentAsNamed(String method) {
        String id = id();
        Fetch.Output output = FETCH.output("""
                {"url": "%s", "method": "%s"}""".formatted(SITE.url("/echo?id=" + id), method.toLowerCase()));
        assertEquals(200, output.status());
        assertEquals(method, received(id).method());
        if (method.equals("HEAD")) {
            assertNull(output.body(), "a HEAD answer has no body");
        } else {
            assertEquals(method, output.body().asText());
        }
    }

    @Test
    void theMethodDefaultsToGet() {
        String id = id();
        FETCH.output("{\"url\": \"" + SITE.url("/echo?id=" + id) + "\"}");
        assertEquals("GET", received(id).method());
    }

    @Test
    void headersAreSentAsGiven() {
        String id = id();
        FETCH.output("""
                {"url": "%s", "headers": {"Accept": "text/html", "X-Api-Key": "k-123"}}"""
                .formatted(SITE.url("/echo?id=" + id)));
        Recorded request = received(id);
        assertEquals("text/html", request.header("accept"));
        assertEquals("k-123", request.header("x-api-key"));
    }

    @Test
    void queryIsMergedIntoTheUrlEncodedAndTheOutputUrlShowsIt() {
        String id = id();
        Fetch.Output output = FETCH.output("""
                {"url": "%s", "query": {"q": "rock & roll", "tag": ["a", "b"], "page": 2, "draft": null}}"""
                .formatted(SITE.url("/echo?id=" + id)));
        assertEquals("id=" + id + "&q=rock%20%26%20roll&tag=a&tag=b&page=2", received(id).query());
        assertEquals(SITE.url("/echo?id=" + id + "&q=rock%20%26%20roll&tag=a&tag=b&page=2"), output.url());
    }

    @Test
    void aJsonBodyIsSentAsJsonWithItsContentType() {
        String id = id();
        FETCH.output("""
                {"url": "%s", "method": "POST", "body": {"name": "Ada", "tags": [1, 2]}}"""
                .formatted(SITE.url("/echo?id=" + id)));
        Recorded request = received(id);
        assertEquals("application/json", request.header("content-type"));
        assertEquals("{\"name\":\"Ada\",\"tags\":[1,2]}", request.bodyText());
    }

    @Test
    void aStringBodyIsSentAsGivenWithTheCallersContentType() {
        String id = id();
        FETCH.output("""
                {"url": "%s", "method": "PUT", "headers": {"content-type": "text/csv"}, "body": "a,b\\n1,2"}"""
                .formatted(SITE.url("/echo?id=" + id)));
        Recorded request = received(id);
        assertEquals("text/csv", request.header("content-type"));
        assertEquals("a,b\n1,2", request.bodyText());
    }

    @Test
    void aContentTypeInHeadersWinsOverTheJsonDefault() {
        String id = id();
        FETCH.output("""
                {"url": "%s", "method": "POST", "headers": {"Content-Type": "application/vnd.api+json"}, "body": [1]}"""
                .formatted(SITE.url("/echo?id=" + id)));
        assertEquals("application/vnd.api+json", received(id).header("content-type"));
    }

    @Test
    void theHostHeaderIsTheUrlsHostEvenThoughFetchConnectsToTheCheckedAddress() {
        String id = id();
        FETCH.output("{\"url\": \"http://localhost:" + SITE.port() + "/echo?id=" + id + "\"}");
        assertEquals("localhost:" + SITE.port(), received(id).header("host"));
    }

    @Test
    void timeoutIsReadInEitherDurationForm() {
        assertEquals(Duration.ofSeconds(10), timeout("\"PT10S\""));
        assertEquals(Duration.ofSeconds(10), timeout("\"10s\""));
        assertEquals(Duration.ofMillis(500), timeout("\"500ms\""));
        assertEquals(Duration.ofMinutes(2), timeout("\"2m\""));
        assertEquals(Fetch.DEFAULT_TIMEOUT, timeout("null"));
    }

    private static Duration timeout(String json) {
        return Fetching.parameters("{\"url\": \"http://a.example/\", \"timeout\": " + json + "}").timeout();
    }

    @Test
    void parametersThatCannotWorkAreRefusedBeforeAnyRequest() {
        assertTrue(Fetching.refusal("{}").startsWith("parameter 'url' is required"));
        assertTrue(Fetching.refusal("{\"url\": \"ftp://files.example/x\"}")
                .startsWith("parameter 'url' must be an absolute http(s) URL, was 'ftp://files.example/x'"));
        assertEquals("parameter 'method' must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, was 'TRACE'",
                Fetching.refusal("{\"url\": \"http://a.example/\", \"method\": \"trace\"}"));
        assertEquals("parameter 'timeout' must be positive, was PT0S",
                Fetching.refusal("{\"url\": \"http://a.example/\", \"timeout\": \"PT0S\"}"));
        assertEquals("parameter 'maxBodyBytes' must not be negative",
                Fetching.refusal("{\"url\": \"http://a.example/\", \"maxBodyBytes\": -1}"));
        assertEquals("parameter 'query.f' must be a string, number or boolean, or a list of them",
                Fetching.refusal("{\"url\": \"http://a.example/\", \"query\": {\"f\": {\"a\": 1}}}"));
        assertEquals("parameter 'headers.x-a' must be a non-empty name with a string value",
                Fetching.refusal("{\"url\": \"http://a.example/\", \"headers\": {\"x-a\": null}}"));
    }
}
