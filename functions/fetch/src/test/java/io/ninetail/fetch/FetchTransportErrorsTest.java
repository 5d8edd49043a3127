package io.ninetail.fetch;

import io.ninetail.core.block.BlockError;
import io.ninetail.testing.LocalHttpServer;
import io.ninetail.testing.LocalHttpServer.Reply;
import io.ninetail.testing.NatsServerResource;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PfxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TIMEOUT, CONNECT, DNS and TLS, each provoked for real. */
class FetchTransportErrorsTest {

    /** Holds the slow route's answer until the test is over. */
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static final LocalHttpServer SITE = new LocalHttpServer()
            .route("/slow", request -> {
                RELEASE.await(30, TimeUnit.SECONDS);
                return Reply.text(200, "text/plain", "too late");
            });
    private static final Fetching FETCH = new Fetching();

    @TempDir
    static Path keys;
    private static TlsSite tls;

    @BeforeAll
    static void startTls() throws Exception {
        tls = new TlsSite(keys);
    }

    @AfterAll
    static void stop() throws Exception {
        RELEASE.countDown();
        FETCH.close();
        SITE.close();
        tls.close();
    }

    @Test
    void noAnswerWithinTheTimeoutIsARetryableTimeout() {
        long started = System.nanoTime();
        BlockError error = FETCH.error("{\"url\": \"" + SITE.url("/slow") + "\", \"timeout\": \"PT0.3S\"}");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals("TIMEOUT", error.code());
        assertTrue(error.retryable());
        assertEquals("GET " + SITE.url("/slow") + ": no complete answer within PT0.3S", error.message());
        assertEquals(Map.of("timeoutMs", 300L), error.details());
        assertTrue(tookMs < 3000, "gave up after " + tookMs + " ms");
    }

    @Test
    void aClosedPortIsARetryableConnectError() {
        String url = "http://127.0.0.1:" + NatsServerResource.freePort() + "/";
        BlockError error = FETCH.error("{\"url\": \"" + url + "\"}");
        assertEquals("CONNECT", error.code());
        assertTrue(error.retryable());
        assertTrue(error.message().startsWith("GET " + url + ": "), error.message());
    }

    @Test
    void aNameThatDoesNotResolveIsAPermanentDnsError() {
        BlockError error = FETCH.error("{\"url\": \"http://no-such-host.invalid/page\"}");
        assertEquals("DNS", error.code());
        assertFalse(error.retryable());
        assertTrue(error.message().startsWith("GET http://no-such-host.invalid/page: host not found"), error.message());
    }

    @Test
    void anUntrustedCertificateIsAPermanentTlsError() {
        BlockError error = FETCH.error("{\"url\": \"" + tls.url("localhost", "/") + "\"}");
        assertEquals("TLS", error.code());
        assertFalse(error.retryable());
        assertTrue(error.message().startsWith("GET " + tls.url("localhost", "/") + ": TLS failed"), error.message());
    }

    @Test
    void httpsWorksAgainstATrustedCertificateThoughFetchConnectsByAddress() {
        try (Fetching trusting = new Fetching(new TargetGuard(true, false), trustingTheSite())) {
            Fetch.Output output = trusting.output("{\"url\": \"" + tls.url("localhost", "/") + "\"}");
            assertEquals(200, output.status());
            assertEquals("secure", output.body().asText());
        }
    }

    @Test
    void aCertificateForAnotherNameIsATlsErrorEvenWhenTrusted() {
        try (Fetching trusting = new Fetching(new TargetGuard(true, false), trustingTheSite())) {
            BlockError error = trusting.error("{\"url\": \"" + tls.url("127.0.0.1", "/") + "\"}");
            assertEquals("TLS", error.code());
        }
    }

    private static HttpClientOptions trustingTheSite() {
        return new HttpClientOptions().setTrustOptions(new PfxOptions()
                .setPath(tls.keyStore().toString()).setPassword(TlsSite.PASSWORD));
    }
}
