package io.ninetail.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ninetail.testing.LocalHttpServer;
import io.ninetail.testing.LocalHttpServer.Recorded;
import io.ninetail.testing.LocalHttpServer.Reply;
import io.ninetail.testing.NatsServerResource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every parameter and every error code of fetch as one table, for the trigger tests: the
 * {@code with} a case sends, and what must come back. The servers the cases fetch from are real
 * and local: an HTTP site, an HTTPS site whose certificate nobody trusts, a port nothing listens
 * on, and a route that never answers.
 */
final class FetchCases implements AutoCloseable {

    /** The result event of one input, whichever trigger carried it. */
    record Result(String type, JsonNode data) {

        JsonNode output() {
            assertEquals("block.fetch.output", type, () -> "expected an output, got " + data);
            return data;
        }

        JsonNode error() {
            assertEquals("block.fetch.error", type, () -> "expected an error, got " + data);
            return data;
        }
    }

    /** One row: the {@code with} sent, and what the result must show. */
    record Case(String name, String with, Consumer<Result> expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Holds the answer of {@code /never} until the cases are over. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final LocalHttpServer site = new LocalHttpServer()
            .route("/echo", request -> new Reply(200, Map.of("content-type", "application/json",
                    "x-method", request.method()), JSON.writeValueAsBytes(echo(request))))
            .route("/old", request -> redirect(301, "/new"))
            .route("/new", request -> Reply.text(200, "text/plain", "new place"))
            .route("/loop", request -> redirect(302, "/loop"))
            .route("/to-ftp", request -> redirect(302, "ftp://files.example/x"))
            .route("/to-intranet", request -> redirect(307, "http://10.0.0.8/admin"))
            .route("/missing", request -> Reply.text(404, "text/plain", "no such page"))
            .route("/down", request -> Reply.text(503, "text/plain", "maintenance"))
            .route("/busy", request -> new Reply(429, Map.of("content-type", "text/plain", "retry-after", "7"),
                    "slow down".getBytes(StandardCharsets.UTF_8)))
            .route("/big", request -> Reply.text(200, "text/plain", "x".repeat(10_000)))
            .route("/never", request -> {
                release.await(60, TimeUnit.SECONDS);
                return Reply.text(200, "text/plain", "too late");
            })
            .route("/hello", request -> Reply.text(200, "text/plain", "hello"));
    private final Path keys;
    private final TlsSite tls;

    FetchCases() {
        try {
            keys = Files.createTempDirectory("ninetail-fetch-tls-");
            tls = new TlsSite(keys);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the HTTPS site", e);
        }
    }

    /** What the site received, in the body of {@code /echo}'s answer (and the method in {@code x-method}). */
    private static ObjectNode echo(Recorded request) {
        ObjectNode echo = JSON.createObjectNode();
        echo.put("method", request.method());
        echo.put("query", request.query());
        echo.put("contentType", request.header("content-type"));
        echo.put("accept", request.header("accept"));
        echo.put("token", request.header("x-token"));
        echo.put("body", request.bodyText());
        return echo;
    }

    private static Reply redirect(int status, String location) {
        return new Reply(status, Map.of("location", location), new byte[0]);
    }

    /** The cases for a deployment that allows loopback (the test profile): all but the loopback refusal. */
    List<Case> loopbackAllowed() {
        List<Case> cases = new ArrayList<>();
        cases.addAll(parameters());
        cases.addAll(errors());
        return cases;
    }

    /** The cases for the default deployment, which refuses loopback: {@code BLOCKED_TARGET} before anything is sent. */
    List<Case> loopbackRefused() {
        String hello = site.url("/hello");
        String byName = "http://localhost:" + site.port() + "/hello";
        return List.of(
                error("BLOCKED_TARGET: a loopback address", with(hello), "BLOCKED_TARGET", false, error -> {
                    assertEquals("GET " + hello + ": refused: 127.0.0.1 is a loopback address"
                            + " (a deployment may allow it with ninetail.fetch.allow-loopback=true)", message(error));
                    assertEquals("loopback", error.at("/details/kind").asText());
                    assertEquals(List.of(), site.requests("/hello"), "nothing was sent");
                }),
                error("BLOCKED_TARGET: a name that resolves to loopback", with(byName), "BLOCKED_TARGET", false, error -> {
                    assertEquals("localhost", error.at("/details/host").asText());
                    assertEquals("loopback", error.at("/details/kind").asText());
                    assertEquals(List.of(), site.requests("/hello"), "nothing was sent");
                }));
    }

    private List<Case> parameters() {
        String echo = site.url("/echo");
        List<Case> cases = new ArrayList<>(List.of(
                output("url alone: a GET, its answer the output", with(echo), out -> {
                    assertEquals(200, out.get("status").asInt());
                    assertEquals(echo, out.get("url").asText());
                    assertEquals("GET", out.at("/body/method").asText());
                    assertEquals("application/json", out.at("/headers/content-type").asText());
                    assertEquals(out.at("/body").toString().length(), out.get("bytes").asInt());
                    assertTrue(out.get("elapsedMs").isIntegralNumber() && out.get("elapsedMs").asLong() >= 0, out::toString);
                }),
                output("method POST with a JSON body: sent as application/json", """
                        {"url": "%s", "method": "POST", "body": {"n": 1, "tags": ["a"]}}""".formatted(echo), out -> {
                    assertEquals("POST", out.at("/body/method").asText());
                    assertEquals("application/json", out.at("/body/contentType").asText());
                    assertEquals("{\"n\":1,\"tags\":[\"a\"]}", out.at("/body/body").asText());
                }),
                output("a string body: sent as written, with the caller's content type", """
                        {"url": "%s", "method": "PUT", "headers": {"content-type": "text/csv"}, "body": "a,b\\n1,2"}"""
                        .formatted(echo), out -> {
                    assertEquals("text/csv", out.at("/body/contentType").asText());
                    assertEquals("a,b\n1,2", out.at("/body/body").asText());
                }),
                output("method HEAD: the answer has no body", """
                        {"url": "%s", "method": "HEAD"}""".formatted(echo), out -> {
                    assertEquals(200, out.get("status").asInt());
                    assertEquals("HEAD", out.at("/headers/x-method").asText());
                    assertTrue(out.get("body").isNull(), out::toString);
                    assertEquals(0, out.get("bytes").asInt());
                }),
                output("headers: sent as given", """
                        {"url": "%s", "headers": {"Accept": "text/csv", "X-Token": "abc"}}""".formatted(echo), out -> {
                    assertEquals("text/csv", out.at("/body/accept").asText());
                    assertEquals("abc", out.at("/body/token").asText());
                }),
                output("query: merged into the url, encoded; a list repeats the name, null leaves it out", """
                        {"url": "%s?id=7", "query": {"q": "fish & chips", "tag": ["a", "b"], "page": 2, "draft": null}}"""
                        .formatted(echo), out -> {
                    assertEquals("id=7&q=fish%20%26%20chips&tag=a&tag=b&page=2", out.at("/body/query").asText());
                    assertEquals(echo + "?id=7&q=fish%20%26%20chips&tag=a&tag=b&page=2", out.get("url").asText());
                }),
                output("followRedirects by default: the output is where the redirects ended", with(site.url("/old")), out -> {
                    assertEquals(200, out.get("status").asInt());
                    assertEquals("new place", out.get("body").asText());
                    assertEquals(site.url("/new"), out.get("url").asText());
                }),
                output("followRedirects false: the redirect is the output", """
                        {"url": "%s", "followRedirects": false}""".formatted(site.url("/old")), out -> {
                    assertEquals(301, out.get("status").asInt());
                    assertEquals("/new", out.at("/headers/location").asText());
                    assertEquals(site.url("/old"), out.get("url").asText());
                }),
                output("failOnStatus false: an error status is an ordinary output", """
                        {"url": "%s", "failOnStatus": false}""".formatted(site.url("/missing")), out -> {
                    assertEquals(404, out.get("status").asInt());
                    assertEquals("no such page", out.get("body").asText());
                }),
                output("maxBodyBytes: an upper bound, not an exact size", """
                        {"url": "%s", "maxBodyBytes": 10000}""".formatted(site.url("/big")), out ->
                        assertEquals(10_000, out.get("bytes").asInt())),
                output("timeout (ISO-8601) long enough: the answer arrives", """
                        {"url": "%s", "timeout": "PT5S"}""".formatted(echo), out ->
                        assertEquals(200, out.get("status").asInt()))));
        for (String method : List.of("put", "patch", "delete", "options")) {
            cases.add(output("method " + method + ": sent as named, in capitals", """
                    {"url": "%s", "method": "%s"}""".formatted(echo, method), out ->
                    assertEquals(method.toUpperCase(), out.at("/body/method").asText())));
        }
        return cases;
    }

    private List<Case> errors() {
        String never = site.url("/never");
        String closedPort = "http://127.0.0.1:" + NatsServerResource.freePort() + "/";
        String untrusted = tls.url("localhost", "/");
        String loop = site.url("/loop");
        return List.of(
                error("TIMEOUT: no answer within timeout", """
                        {"url": "%s", "timeout": "PT0.3S"}""".formatted(never), "TIMEOUT", true, error -> {
                    assertEquals("GET " + never + ": no complete answer within PT0.3S", message(error));
                    assertEquals(300, error.at("/details/timeoutMs").asLong());
                }),
                error("TIMEOUT: a timeout in the short form takes effect too", """
                        {"url": "%s", "timeout": "300ms"}""".formatted(never), "TIMEOUT", true, error -> {
                    assertEquals("GET " + never + ": no complete answer within PT0.3S", message(error));
                    assertEquals(300, error.at("/details/timeoutMs").asLong());
                }),
                error("CONNECT: nothing listens on the port", with(closedPort), "CONNECT", true, error ->
                        assertTrue(message(error).startsWith("GET " + closedPort + ": "), message(error))),
                error("DNS: a name that does not resolve", with("http://no-such-host.invalid/page"), "DNS", false, error ->
                        assertTrue(message(error).startsWith("GET http://no-such-host.invalid/page: host not found"),
                                message(error))),
                error("TLS: a certificate nobody trusts", with(untrusted), "TLS", false, error ->
                        assertTrue(message(error).startsWith("GET " + untrusted + ": TLS failed"), message(error))),
                error("STATUS 404: permanent, with the status and the body", with(site.url("/missing")), "STATUS", false,
                        error -> {
                            assertEquals("GET " + site.url("/missing") + " answered 404", message(error));
                            assertEquals(404, error.at("/details/status").asInt());
                            assertEquals("no such page", error.at("/details/body").asText());
                        }),
                error("STATUS 503: retryable", with(site.url("/down")), "STATUS", true, error -> {
                    assertEquals(503, error.at("/details/status").asInt());
                    assertEquals("maintenance", error.at("/details/body").asText());
                }),
                error("STATUS 429 with Retry-After: retryable, the delay in retryAfterMs", with(site.url("/busy")),
                        "STATUS", true, error -> {
                            assertEquals(429, error.at("/details/status").asInt());
                            assertEquals("slow down", error.at("/details/body").asText());
                            assertEquals(7000, error.at("/details/retryAfterMs").asLong());
                        }),
                error("BODY_TOO_LARGE: a body over maxBodyBytes", """
                        {"url": "%s", "maxBodyBytes": 1000}""".formatted(site.url("/big")), "BODY_TOO_LARGE", false,
                        error -> {
                            assertEquals(1000, error.at("/details/maxBodyBytes").asLong());
                            assertEquals(10_000, error.at("/details/receivedBytes").asLong());
                        }),
                error("REDIRECT: more than ten redirects", with(loop), "REDIRECT", false, error -> {
                    assertEquals("GET " + loop + ": more than 10 redirects (the last to /loop)", message(error));
                    assertEquals(10, error.at("/details/redirects").asInt());
                }),
                error("REDIRECT: to a URL that is not http(s)", with(site.url("/to-ftp")), "REDIRECT", false, error ->
                        assertEquals("GET " + site.url("/to-ftp") + ": answered 302 with a Location that is not an"
                                + " http(s) URL: 'ftp://files.example/x'", message(error))),
                error("BLOCKED_TARGET: a cloud metadata endpoint", with("http://169.254.169.254/latest/meta-data/"),
                        "BLOCKED_TARGET", false, error ->
                                assertEquals("metadata", error.at("/details/kind").asText())),
                error("BLOCKED_TARGET: a private address", with("http://10.20.30.40/"), "BLOCKED_TARGET", false, error -> {
                    assertEquals("10.20.30.40", error.at("/details/address").asText());
                    assertEquals("private", error.at("/details/kind").asText());
                }),
                error("BLOCKED_TARGET: a redirect to a private address", with(site.url("/to-intranet")),
                        "BLOCKED_TARGET", false, error -> {
                            assertTrue(message(error).startsWith("GET http://10.0.0.8/admin: refused"), message(error));
                            assertEquals("private", error.at("/details/kind").asText());
                        }),
                error("INVALID_PARAMETERS: an unknown key", """
                        {"url": "%s", "methd": "GET"}""".formatted(site.url("/hello")), "INVALID_PARAMETERS", false,
                        error -> assertTrue(message(error).startsWith("unknown parameter 'methd'"), message(error))),
                error("INVALID_PARAMETERS: a method fetch does not send", """
                        {"url": "%s", "method": "trace"}""".formatted(site.url("/hello")), "INVALID_PARAMETERS", false,
                        error -> assertEquals("parameter 'method' must be one of GET, POST, PUT, PATCH, DELETE, HEAD,"
                                + " OPTIONS, was 'TRACE'", message(error))),
                error("INVALID_PARAMETERS: a timeout that is not a duration", """
                        {"url": "%s", "timeout": "soon"}""".formatted(site.url("/hello")), "INVALID_PARAMETERS", false,
                        error -> assertEquals("parameter 'timeout': 'soon' is not a duration: use ISO-8601 such as"
                                + " PT10S or PT0.5S, or a whole number with ms, s, m or h such as 500ms, 10s, 2m or 1h",
                                message(error))));
    }

    private static String with(String url) {
        return "{\"url\": \"" + url + "\"}";
    }

    private static String message(JsonNode error) {
        return error.get("message").asText();
    }

    private static Case output(String name, String with, Consumer<JsonNode> check) {
        return new Case(name, with, result -> check.accept(result.output()));
    }

    private static Case error(String name, String with, String code, boolean retryable, Consumer<JsonNode> check) {
        return new Case(name, with, result -> {
            JsonNode error = result.error();
            assertEquals(code, error.get("code").asText(), error::toString);
            assertEquals(retryable, error.get("retryable").asBoolean(), error::toString);
            check.accept(error);
        });
    }

    @Override
    public void close() throws IOException {
        release.countDown();
        site.close();
        tls.close();
        try (Stream<Path> files = Files.walk(keys)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }
}
