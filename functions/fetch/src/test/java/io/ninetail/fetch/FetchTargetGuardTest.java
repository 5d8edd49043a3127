package io.ninetail.fetch;

import io.ninetail.core.block.BlockError;
import io.ninetail.testing.LocalHttpServer;
import io.ninetail.testing.LocalHttpServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SSRF guard end to end: refused targets are never connected to, whether named, resolved or redirected to. */
class FetchTargetGuardTest {

    private static final LocalHttpServer SITE = new LocalHttpServer()
            .route("/hello", request -> Reply.text(200, "text/plain", "hello"))
            .route("/to-metadata", request -> new Reply(302,
                    Map.of("location", "http://169.254.169.254/latest/meta-data/"), new byte[0]))
            .route("/to-intranet", request -> new Reply(307, Map.of("location", "http://10.0.0.8/admin"), new byte[0]));

    @AfterAll
    static void stop() {
        SITE.close();
    }

    @Test
    void loopbackIsRefusedUnlessConfigurationAllowsIt() {
        try (Fetching strict = new Fetching(new TargetGuard(false, false))) {
            int before = SITE.requests().size();
            BlockError error = strict.error("{\"url\": \"" + SITE.url("/hello") + "\"}");
            assertEquals("BLOCKED_TARGET", error.code());
            assertFalse(error.retryable());
            assertEquals("GET " + SITE.url("/hello") + ": refused: 127.0.0.1 is a loopback address"
                    + " (a deployment may allow it with ninetail.fetch.allow-loopback=true)", error.message());
            assertEquals(before, SITE.requests().size(), "nothing was sent");
        }
        try (Fetching allowing = new Fetching(new TargetGuard(true, false))) {
            assertEquals("hello", allowing.output("{\"url\": \"" + SITE.url("/hello") + "\"}").body().asText());
        }
    }

    @Test
    void aNameIsJudgedByTheAddressItResolvesTo() {
        try (Fetching strict = new Fetching(new TargetGuard(false, false))) {
            BlockError error = strict.error("{\"url\": \"http://localhost:" + SITE.port() + "/hello\"}");
            assertEquals("BLOCKED_TARGET", error.code());
            assertEquals("localhost", error.details().get("host"));
            assertEquals("loopback", error.details().get("kind"));
        }
    }

    @Test
    void privateAddressesAreRefusedUnlessConfigurationAllowsThem() {
        try (Fetching fetching = new Fetching(new TargetGuard(true, false))) {
            BlockError error = fetching.error("{\"url\": \"http://10.20.30.40/\"}");
            assertEquals("BLOCKED_TARGET", error.code());
            assertEquals(Map.of("host", "10.20.30.40", "address", "10.20.30.40", "kind", "private"), error.details());
        }
    }

    @Test
    void metadataEndpointsAreRefusedWhateverTheConfiguration() {
        try (Fetching permissive = new Fetching(new TargetGuard(true, true))) {
            for (String url : new String[]{"http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/",
                    "http://metadata.google.internal/computeMetadata/v1/", "http://[::ffff:169.254.169.254]/"}) {
                BlockError error = permissive.error("{\"url\": \"" + url + "\"}");
                assertEquals("BLOCKED_TARGET", error.code(), url);
                assertEquals("metadata", error.details().get("kind"), url);
            }
            assertEquals("link-local", permissive.error("{\"url\": \"http://169.254.1.1/\"}").details().get("kind"));
        }
    }

    @Test
    void everyRedirectIsCheckedAgain() {
        try (Fetching fetching = new Fetching(new TargetGuard(true, false))) {
            BlockError toMetadata = fetching.error("{\"url\": \"" + SITE.url("/to-metadata") + "\"}");
            assertEquals("BLOCKED_TARGET", toMetadata.code());
            assertTrue(toMetadata.message().startsWith("GET http://169.254.169.254/latest/meta-data/: refused"),
                    toMetadata.message());
            BlockError toIntranet = fetching.error("{\"url\": \"" + SITE.url("/to-intranet") + "\"}");
            assertEquals("BLOCKED_TARGET", toIntranet.code());
            assertEquals("private", toIntranet.details().get("kind"));
        }
    }

    /**
     * The address fetch connects to is the one it checked: a name only the guard's resolver
     * knows still reaches the server (the HTTP client did not look it up again), with the name
     * in the Host header. A DNS answer that changes after the check therefore changes nothing.
     */
    @Test
    void fetchConnectsToTheAddressItCheckedNotToASecondLookup() {
        TargetGuard guard = new TargetGuard(true, false,
                TargetGuardTest.fixed(Map.of("pinned.test", "127.0.0.1")));
        try (Fetching fetching = new Fetching(guard)) {
            Fetch.Output output = fetching.output("{\"url\": \"http://pinned.test:" + SITE.port() + "/hello?pinned\"}");
            assertEquals("hello", output.body().asText());
            assertEquals("pinned.test:" + SITE.port(), SITE.requests("/hello").stream()
                    .filter(r -> "pinned".equals(r.query())).findFirst().orElseThrow().header("host"));
        }
    }
}
