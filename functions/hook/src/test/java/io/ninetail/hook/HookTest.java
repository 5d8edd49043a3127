package io.ninetail.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ninetail.core.block.BlockRunner;
import io.ninetail.core.event.Event;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import static io.ninetail.hook.HookEvents.GITHUB_PAYLOAD;
import static io.ninetail.hook.HookEvents.GITHUB_SECRET;
import static io.ninetail.hook.HookEvents.GITHUB_SIGNATURE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks and the output, run by the same BlockRunner the triggers use, without a transport. */
class HookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> SECRETS = Map.of("github", GITHUB_SECRET, "partner", "s3cr3t-t0ken");
    private static final BlockRunner RUNNER = new BlockRunner(
            new Hook(name -> Optional.ofNullable(SECRETS.get(name)), JSON), JSON, Duration.ofSeconds(5));

    /** The block's output, or its error, as JSON; {@code type} tells which. */
    private record Result(String type, JsonNode data) {
        String code() {
            return data.get("code").asText();
        }
    }

    private static Result run(String parametersJson) {
        Event result = RUNNER.run(HookEvents.input("run-1", parametersJson)).await().atMost(Duration.ofSeconds(5));
        try {
            return new Result(result.type(), JSON.readTree(result.data()));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode output(String parametersJson) {
        Result result = run(parametersJson);
        assertEquals("block.hook.output", result.type(), result.data()::toString);
        return result.data();
    }

    private static Result error(String parametersJson) {
        Result result = run(parametersJson);
        assertEquals("block.hook.error", result.type(), result.data()::toString);
        assertFalse(result.data().get("retryable").asBoolean(), "no hook error is retryable");
        return result;
    }

    private static String signed(String body) {
        return signed(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String signed(byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(Hook.hmacSha256(GITHUB_SECRET.getBytes(StandardCharsets.UTF_8),
                body));
    }

    /** A signed request whose body is not UTF-8, as the api sends it: the bytes in base64. */
    private static String signedInBase64(String contentType, String signature, byte[] body) {
        return """
                {"method": "POST", "path": "/hooks/form",
                 "headers": {"content-type": "%s", "x-hub-signature-256": "%s"}, "bodyBase64": "%s",
                 "expected": {"auth": {"type": "hmac-sha256", "secretName": "github"}}}"""
                .formatted(contentType, signature, Base64.getEncoder().encodeToString(body));
    }

    @Test
    void withoutAuthTheRequestComesOutWithItsJsonBodyParsed() throws Exception {
        JsonNode output = output("""
                {"method": "post", "path": "/hooks/orders",
                 "headers": {"Content-Type": "application/json; charset=utf-8", "X-Request-Id": "r-1"},
                 "query": {"source": "shop", "tag": ["a", "b"]},
                 "body": "{\\"order\\": 17, \\"items\\": [\\"kettle\\"]}"}""");
        assertEquals(JSON.readTree("""
                {"method": "POST", "path": "/hooks/orders",
                 "headers": {"content-type": "application/json; charset=utf-8", "x-request-id": "r-1"},
                 "query": {"source": "shop", "tag": ["a", "b"]},
                 "body": {"order": 17, "items": ["kettle"]}}"""), output);
    }

    @Test
    void aBodyThatIsNotJsonComesOutAsRawText() {
        JsonNode output = output("""
                {"method": "POST", "path": "/hooks/slack",
                 "headers": {"content-type": "application/x-www-form-urlencoded"},
                 "body": "token=x&text=hello%20world"}""");
        assertEquals("token=x&text=hello%20world", output.get("body").asText());
        assertEquals("{\"a\":1}", output("""
                {"method": "POST", "path": "/h", "body": "{\\"a\\":1}"}""").get("body").asText(),
                "without a JSON content type, JSON-looking text stays text");
    }

    @Test
    void anEmptyBodyIsNullAndMissingMapsAreEmpty() {
        JsonNode output = output("""
                {"method": "POST", "path": "/hooks/ping", "headers": {"content-type": "application/json"}}""");
        assertTrue(output.get("body").isNull());
        assertEquals(0, output.get("query").size());
    }

    @Test
    void repeatedHeaderNamesInAnyCaseAreJoined() {
        JsonNode headers = output("""
                {"method": "POST", "path": "/h", "headers": {"Accept": "text/html", "accept": "application/json"}}""")
                .get("headers");
        assertEquals("text/html, application/json", headers.get("accept").asText());
    }

    @Test
    void aJsonContentTypeWithABodyThatIsNotJsonIsAnInvalidBodyError() {
        Result result = error("""
                {"method": "POST", "path": "/h", "headers": {"content-type": "application/json"},
                 "body": "{\\"order\\": 17,"}""");
        assertEquals("INVALID_BODY", result.code());
        assertTrue(result.data().get("message").asText().startsWith(
                "the body is not valid JSON, as its content type 'application/json' says"), result.data()::toString);
        assertEquals("INVALID_BODY", error("""
                {"method": "POST", "path": "/h", "headers": {"content-type": "application/json"},
                 "body": "{} trailing"}""").code());
    }

    @Test
    void anotherMethodThanExpectedIsMethodNotAllowed() {
        Result result = error("""
                {"method": "GET", "path": "/hooks/orders", "expected": {"method": "POST"}}""");
        assertEquals("METHOD_NOT_ALLOWED", result.code());
        assertEquals("this hook accepts POST, not GET", result.data().get("message").asText());
        assertEquals("POST", result.data().get("details").get("expected").asText());
        assertEquals("GET", result.data().get("details").get("received").asText());
    }

    @Test
    void theExpectedMethodDefaultsToPost() {
        assertEquals("METHOD_NOT_ALLOWED", error("{\"method\": \"PUT\", \"path\": \"/h\"}").code());
        assertEquals("GET", output("""
                {"method": "GET", "path": "/h", "expected": {"method": "get"}}""").get("method").asText());
    }

    @Test
    void theRightSharedSecretPassesAndIsRedactedFromTheOutput() {
        JsonNode output = output("""
                {"method": "POST", "path": "/hooks/partner", "headers": {"X-Partner-Token": "s3cr3t-t0ken"},
                 "expected": {"auth": {"type": "header", "header": "X-Partner-Token", "secretName": "partner"}}}""");
        assertEquals("[redacted]", output.get("headers").get("x-partner-token").asText());
        assertFalse(output.toString().contains("s3cr3t-t0ken"));
    }

    @Test
    void aMissingSecretHeaderIsUnauthorized() {
        Result result = error("""
                {"method": "POST", "path": "/hooks/partner", "headers": {},
                 "expected": {"auth": {"type": "header", "header": "x-partner-token", "secretName": "partner"}}}""");
        assertEquals("UNAUTHORIZED", result.code());
        assertEquals("header 'x-partner-token' is missing", result.data().get("message").asText());
    }

    @Test
    void aWrongSharedSecretIsForbiddenWhateverItsLength() {
        for (String wrong : new String[]{"s3cr3t-t0keN", "s3cr3t", "s3cr3t-t0ken-and-more", "x"}) {
            Result result = error("""
                    {"method": "POST", "path": "/hooks/partner", "headers": {"x-partner-token": "%s"},
                     "expected": {"auth": {"type": "header", "header": "x-partner-token", "secretName": "partner"}}}"""
                    .formatted(wrong));
            assertEquals("FORBIDDEN", result.code(), wrong);
            assertEquals("header 'x-partner-token' does not hold the expected secret",
                    result.data().get("message").asText());
        }
    }

    @Test
    void gitHubsDocumentedSignaturePasses() {
        JsonNode output = output("""
                {"method": "POST", "path": "/hooks/github", "headers": {"X-Hub-Signature-256": "%s"}, "body": "%s",
                 "expected": {"auth": {"type": "hmac-sha256", "secretName": "github"}}}"""
                .formatted(GITHUB_SIGNATURE, GITHUB_PAYLOAD));
        assertEquals(GITHUB_PAYLOAD, output.get("body").asText());
        assertEquals(GITHUB_SIGNATURE, output.get("headers").get("x-hub-signature-256").asText(),
                "a signature is no secret: it stays");
    }

    @Test
    void aSignatureInUpperCaseHexInAnotherHeaderPasses() {
        String body = "{\"event\": \"paid\"}";
        JsonNode output = output("""
                {"method": "POST", "path": "/hooks/pay",
                 "headers": {"content-type": "application/json", "x-signature": "SHA256=%s"}, "body": %s,
                 "expected": {"auth": {"type": "hmac-sha256", "header": "X-Signature", "secretName": "github"}}}"""
                .formatted(signed(body).substring(7).toUpperCase(), JSON.valueToTree(body)));
        assertEquals("paid", output.get("body").get("event").asText());
    }

    @Test
    void aSignatureOfAnotherBodyIsForbidden() {
        Result result = error("""
                {"method": "POST", "path": "/hooks/github", "headers": {"x-hub-signature-256": "%s"},
                 "body": "Hello, World?", "expected": {"auth": {"type": "hmac-sha256", "secretName": "github"}}}"""
                .formatted(GITHUB_SIGNATURE));
        assertEquals("FORBIDDEN", result.code());
        assertEquals("header 'x-hub-signature-256' is not the HMAC-SHA256 of the body with the expected secret",
                result.data().get("message").asText());
    }

    @Test
    void aMalformedSignatureIsForbidden() {
        for (String malformed : new String[]{"757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
                "sha1=757107ea0eb2509fc211221cce984b8a37570b6d", "sha256=xyz", "sha256="}) {
            Result result = error("""
                    {"method": "POST", "path": "/hooks/github", "headers": {"x-hub-signature-256": "%s"},
                     "body": "Hello, World!", "expected": {"auth": {"type": "hmac-sha256", "secretName": "github"}}}"""
                    .formatted(malformed));
            assertEquals("FORBIDDEN", result.code(), malformed);
        }
    }

    @Test
    void aSignedBodyThatIsNotUtf8PassesAndIsDecodedInItsDeclaredCharset() {
        byte[] latin1 = "name=J\u00fcrgen&city=K\u00f6ln".getBytes(StandardCharsets.ISO_8859_1);
        JsonNode output = output(signedInBase64("application/x-www-form-urlencoded; charset=ISO-8859-1",
                signed(latin1), latin1));
        assertEquals("name=J\u00fcrgen&city=K\u00f6ln", output.get("body").asText());

        byte[] euro = {'5', ' ', (byte) 0x80};
        assertEquals("5 \u20ac", output(signedInBase64("text/plain; charset=windows-1252", signed(euro), euro))
                .get("body").asText(), "the declared charset, not ISO-8859-1, when it names one");
    }

    @Test
    void bytesInNoCharsetTheContentTypeNamesComeOutOneCharacterPerByte() {
        byte[] bytes = {'a', (byte) 0xE9, (byte) 0xFF, 'z'};
        for (String contentType : new String[]{"text/plain", "text/plain; charset=utf-8", "text/plain; charset=x-nonesuch"}) {
            assertEquals("a\u00e9\u00ffz", output(signedInBase64(contentType, signed(bytes), bytes))
                    .get("body").asText(), contentType);
        }
    }

    @Test
    void aTamperedBodyThatIsNotUtf8IsForbidden() {
        byte[] latin1 = "amount=100&currency=\u00a3".getBytes(StandardCharsets.ISO_8859_1);
        byte[] tampered = "amount=900&currency=\u00a3".getBytes(StandardCharsets.ISO_8859_1);
        Result result = error(signedInBase64("application/x-www-form-urlencoded; charset=ISO-8859-1",
                signed(latin1), tampered));
        assertEquals("FORBIDDEN", result.code());
        assertEquals("FORBIDDEN", error(signedInBase64("text/plain",
                signed(new String(latin1, StandardCharsets.ISO_8859_1)), latin1)).code(),
                "the signature is over the bytes received, not over their text in UTF-8");
    }

    @Test
    void aBodyInBothFormsOrBase64ThatIsNotIsRefused() {
        assertEquals("parameters 'body' and 'bodyBase64' exclude each other: a body is sent as text (UTF-8)"
                + " or as base64 (any other bytes), not both", error("""
                {"method": "POST", "path": "/h", "body": "x", "bodyBase64": "eA=="}""").data().get("message").asText());
        assertTrue(error("""
                {"method": "POST", "path": "/h", "bodyBase64": "not base64!"}""").data().get("message").asText()
                .startsWith("parameter 'bodyBase64' is not base64"));
    }

    @Test
    void aMissingSignatureIsUnauthorized() {
        Result result = error("""
                {"method": "POST", "path": "/hooks/github", "body": "Hello, World!",
                 "expected": {"auth": {"type": "hmac-sha256", "secretName": "github"}}}""");
        assertEquals("UNAUTHORIZED", result.code());
        assertEquals("x-hub-signature-256", result.data().get("details").get("header").asText());
    }

    @Test
    void aSecretNameThatIsNotConfiguredIsAClearPermanentError() {
        Result result = error("""
                {"method": "POST", "path": "/hooks/x", "headers": {"x-token": "anything"},
                 "expected": {"auth": {"type": "header", "header": "x-token", "secretName": "stripe-live"}}}""");
        assertEquals("UNKNOWN_SECRET", result.code());
        assertEquals("no secret named 'stripe-live' is configured: set ninetail.hook.secrets.stripe-live"
                + " (or the environment variable NINETAIL_HOOK_SECRETS_STRIPE_LIVE) on the hook function",
                result.data().get("message").asText());
    }

    @Test
    void authParametersThatCannotWorkAreRefused() {
        assertTrue(error("""
                {"method": "POST", "path": "/h", "expected": {"auth": {"type": "basic"}}}""")
                .data().get("message").asText()
                .startsWith("parameter 'expected.auth.type' must be one of none, header, hmac-sha256, was 'basic'"));
        assertTrue(error("""
                {"method": "POST", "path": "/h", "expected": {"auth": {"type": "header", "secretName": "partner"}}}""")
                .data().get("message").asText().startsWith("parameter 'expected.auth.header' is required"));
        assertTrue(error("""
                {"method": "POST", "path": "/h", "expected": {"auth": {"type": "hmac-sha256"}}}""")
                .data().get("message").asText().startsWith("parameter 'expected.auth.secretName' must name a configured secret"));
        assertTrue(error("""
                {"method": "POST", "path": "/h", "expected": {"auth": {"type": "hmac-sha256", "secretName": "It's a secret"}}}""")
                .data().get("message").asText().startsWith("parameter 'expected.auth.secretName' must name a configured secret"));
        assertTrue(error("""
                {"method": "POST", "path": "/h", "expected": {"auth": {"secretName": "github"}}}""")
                .data().get("message").asText().startsWith("parameter 'expected.auth': 'header' and 'secretName' need"));
        assertTrue(error("{\"path\": \"/h\"}").data().get("message").asText().startsWith("parameter 'method' is required"));
        assertEquals("parameter 'query.n' must be a string or a list of strings",
                error("{\"method\": \"POST\", \"path\": \"/h\", \"query\": {\"n\": 1}}").data().get("message").asText());
    }
}
