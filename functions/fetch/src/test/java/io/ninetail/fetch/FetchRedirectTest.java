package io.ninetail.fetch;

import io.ninetail.core.block.BlockError;
import io.ninetail.testing.LocalHttpServer;
import io.ninetail.testing.LocalHttpServer.Recorded;
import io.ninetail.testing.LocalHttpServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Redirects: followed by default, up to the cap, the way browsers follow them. */
class FetchRedirectTest {

    private static final LocalHttpServer SITE = new LocalHttpServer();
    private static final Fetching FETCH = new Fetching();

    static {
        SITE.route("/old", request -> redirect(301, "/new"))
                .route("/new", request -> Reply.text(200, "text/plain", "new place"))
                .route("/hop1", request -> redirect(302, "hop2?from=1"))
                .route("/hop2", request -> redirect(307, SITE.url("/new")))
                .route("/loop", request -> redirect(302, "/loop"))
                .route("/see-other", request -> redirect(303, "/result"))
                .route("/temporary", request -> redirect(307, "/result"))
                .route("/moved-post", request -> redirect(302, "/result"))
                .route("/result", request -> Reply.text(200, "text/plain", request.method() + " " + request.bodyText()))
                // localhost and 127.0.0.1 are the same server but two origins
                .route("/elsewhere", request -> redirect(302, "http://localhost:" + SITE.port() + "/whoami"))
                .route("/same-origin", request -> redirect(302, "/whoami"))
                .route("/whoami", request -> Reply.text(200, "text/plain", String.valueOf(request.header("authorization"))))
                .route("/to-ftp", request -> redirect(302, "ftp://files.example/x"))
                .route("/no-location", request -> new Reply(302, Map.of(), new byte[0]));
    }

    @AfterAll
    static void stop() {
        FETCH.close();
        SITE.close();
    }

    private static Reply redirect(int status, String location) {
        return new Reply(status, Map.of("location", location), new byte[0]);
    }

    @Test
    void redirectsAreFollowedAndUrlIsTheFinalOne() {
        Fetch.Output output = FETCH.output("{\"url\": \"" + SITE.url("/old") + "\"}");
        assertEquals(200, output.status());
        assertEquals("new place", output.body().asText());
        assertEquals(SITE.url("/new"), output.url());
    }

    @Test
    void relativeAndAbsoluteLocationsAreFollowedAcrossSeveralHops() {
        Fetch.Output output = FETCH.output("{\"url\": \"" + SITE.url("/hop1") + "\"}");
        assertEquals(SITE.url("/new"), output.url());
        assertEquals("from=1", SITE.requests("/hop2").get(0).query());
    }

    @Test
    void withoutFollowRedirectsTheRedirectIsTheOutput() {
        Fetch.Output output = FETCH.output("{\"url\": \"" + SITE.url("/old") + "\", \"followRedirects\": false}");
        assertEquals(301, output.status());
        assertEquals("/new", output.headers().get("location"));
        assertEquals(SITE.url("/old"), output.url());
    }

    @Test
    void moreThanTenRedirectsIsAPermanentRedirectError() {
        int before = SITE.requests("/loop").size();
        BlockError error = FETCH.error("{\"url\": \"" + SITE.url("/loop") + "\"}");
        assertEquals("REDIRECT", error.code());
        assertFalse(error.retryable());
        assertEquals("GET " + SITE.url("/loop") + ": more than 10 redirects (the last to /loop)", error.message());
        assertEquals(11, SITE.requests("/loop").size() - before, "the first request and ten redirects");
    }

    @Test
    void seeOtherContinuesAsGetWithoutTheBody() {
        Fetch.Output output = FETCH.output("""
                {"url": "%s", "method": "POST", "body": {"order": 1}}""".formatted(SITE.url("/see-other")));
        assertEquals("GET ", output.body().asText());
    }

    @Test
    void aPostMovedWith302ContinuesAsGetAsBrowsersDo() {
        Fetch.Output output = FETCH.output("""
                {"url": "%s", "method": "POST", "body": "a=1"}""".formatted(SITE.url("/moved-post")));
        assertEquals("GET ", output.body().asText());
    }

    @Test
    void temporaryRedirectRepeatsTheMethodAndBody() {
        Fetch.Output output = FETCH.output("""
                {"url": "%s", "method": "PUT", "body": "a=1"}""".formatted(SITE.url("/temporary")));
        assertEquals("PUT a=1", output.body().asText());
    }

    @Test
    void credentialsAreNotSentOnToAnotherOrigin() {
        Fetch.Output output = FETCH.output("""
                {"url": "%s", "headers": {"Authorization": "Bearer secret", "X-Trace": "t1"}}"""
                .formatted(SITE.url("/elsewhere")));
        assertEquals("http://localhost:" + SITE.port() + "/whoami", output.url());
        assertEquals("null", output.body().asText());
        List<Recorded> atWhoami = SITE.requests("/whoami");
        assertEquals("t1", atWhoami.get(atWhoami.size() - 1).header("x-trace"), "other headers are kept");
    }

    @Test
    void credentialsStayWithinTheSameOrigin() {
        assertEquals("Bearer secret", FETCH.output("""
                {"url": "%s", "headers": {"Authorization": "Bearer secret"}}"""
                .formatted(SITE.url("/same-origin"))).body().asText());
    }

    @Test
    void aRedirectToAnotherSchemeIsAPermanentRedirectError() {
        BlockError error = FETCH.error("{\"url\": \"" + SITE.url("/to-ftp") + "\"}");
        assertEquals("REDIRECT", error.code());
        assertEquals("GET " + SITE.url("/to-ftp") + ": answered 302 with a Location that is not an http(s) URL:"
                + " 'ftp://files.example/x'", error.message());
    }

    @Test
    void aRedirectWithoutLocationIsTheOutput() {
        Fetch.Output output = FETCH.output("{\"url\": \"" + SITE.url("/no-location") + "\"}");
        assertEquals(302, output.status());
        assertNull(output.body());
    }
}
