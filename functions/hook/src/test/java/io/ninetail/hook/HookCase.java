package io.ninetail.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

import static io.ninetail.hook.HookEvents.GITHUB_PAYLOAD;
import static io.ninetail.hook.HookEvents.GITHUB_SECRET;
import static io.ninetail.hook.HookEvents.GITHUB_SIGNATURE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One table of hook inputs and what the function answers, run through both triggers (JetStream
 * and Knative's HTTP endpoint): every parameter and every error code. The secrets it names are
 * those the test profile configures: {@code github} and {@code partner-token}.
 *
 * @param name   what the case shows
 * @param input  the input event's data, as the api sends it
 * @param code   the error code expected, or null when the request is accepted
 * @param output for an accepted request, what its output must contain (objects compared key by
 *               key, so a case names only what it is about)
 */
record HookCase(String name, String input, String code, String output) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHARED_SECRET_AUTH =
            "\"expected\": {\"auth\": {\"type\": \"header\", \"header\": \"x-partner-token\", \"secretName\": \"partner-token\"}}";
    private static final String GITHUB_AUTH = "\"expected\": {\"auth\": {\"type\": \"hmac-sha256\", \"secretName\": \"github\"}}";
    private static final byte[] LATIN1_FORM = "name=J\u00fcrgen&city=K\u00f6ln".getBytes(StandardCharsets.ISO_8859_1);

    static Stream<HookCase> all() {
        return Stream.of(
                accepted("without auth, the request comes out with its JSON body parsed", """
                        {"method": "post", "path": "/hooks/orders",
                         "headers": {"Content-Type": "application/json", "X-Request-Id": "r-1"},
                         "query": {"region": "eu", "tag": ["a", "b"]}, "body": "{\\"order\\": 17}",
                         "expected": {"method": "POST", "auth": {"type": "none"}}}""", """
                        {"method": "POST", "path": "/hooks/orders",
                         "headers": {"content-type": "application/json", "x-request-id": "r-1"},
                         "query": {"region": "eu", "tag": ["a", "b"]}, "body": {"order": 17}}"""),
                accepted("a body that is not JSON comes out as text; no expected means POST without auth", """
                        {"method": "POST", "path": "/hooks/slack",
                         "headers": {"content-type": "application/x-www-form-urlencoded"}, "body": "text=hi%20there"}""",
                        "{\"body\": \"text=hi%20there\", \"query\": {}}"),
                accepted("another expected method is accepted", """
                        {"method": "GET", "path": "/hooks/lookup", "expected": {"method": "get"}}""",
                        "{\"method\": \"GET\", \"body\": null}"),
                accepted("the configured shared secret passes and is redacted", """
                        {"method": "POST", "path": "/hooks/partner", "headers": {"X-Partner-Token": "s3cr3t-t0ken"}, %s}"""
                                .formatted(SHARED_SECRET_AUTH),
                        "{\"headers\": {\"x-partner-token\": \"[redacted]\"}}"),
                accepted("GitHub's documented signature passes", """
                        {"method": "POST", "path": "/hooks/github",
                         "headers": {"content-type": "text/plain", "x-hub-signature-256": "%s"}, "body": "%s", %s}"""
                                .formatted(GITHUB_SIGNATURE, GITHUB_PAYLOAD, GITHUB_AUTH),
                        "{\"body\": \"%s\", \"headers\": {\"x-hub-signature-256\": \"%s\"}}"
                                .formatted(GITHUB_PAYLOAD, GITHUB_SIGNATURE)),
                accepted("a signature in another header passes", """
                        {"method": "POST", "path": "/hooks/pay", "headers": {"x-signature": "%s"}, "body": "%s",
                         "expected": {"auth": {"type": "hmac-sha256", "header": "X-Signature", "secretName": "github"}}}"""
                                .formatted(GITHUB_SIGNATURE, GITHUB_PAYLOAD),
                        "{\"body\": \"%s\"}".formatted(GITHUB_PAYLOAD)),
                accepted("a signed Latin-1 body in base64 passes and is read in its charset", """
                        {"method": "POST", "path": "/hooks/form",
                         "headers": {"content-type": "application/x-www-form-urlencoded; charset=ISO-8859-1",
                                     "x-hub-signature-256": "%s"}, "bodyBase64": "%s", %s}"""
                                .formatted(signed(LATIN1_FORM), Base64.getEncoder().encodeToString(LATIN1_FORM), GITHUB_AUTH),
                        "{\"body\": \"name=J\u00fcrgen&city=K\u00f6ln\"}"),
                refused("another method is METHOD_NOT_ALLOWED", """
                        {"method": "DELETE", "path": "/hooks/partner", "expected": {"method": "POST"}}""",
                        "METHOD_NOT_ALLOWED"),
                refused("a missing secret header is UNAUTHORIZED", """
                        {"method": "POST", "path": "/hooks/partner", "headers": {}, %s}""".formatted(SHARED_SECRET_AUTH),
                        "UNAUTHORIZED"),
                refused("a missing signature is UNAUTHORIZED", """
                        {"method": "POST", "path": "/hooks/github", "body": "%s", %s}""".formatted(GITHUB_PAYLOAD, GITHUB_AUTH),
                        "UNAUTHORIZED"),
                refused("a wrong shared secret is FORBIDDEN", """
                        {"method": "POST", "path": "/hooks/partner", "headers": {"x-partner-token": "guess"}, %s}"""
                                .formatted(SHARED_SECRET_AUTH), "FORBIDDEN"),
                refused("a tampered body is FORBIDDEN", """
                        {"method": "POST", "path": "/hooks/github", "headers": {"x-hub-signature-256": "%s"},
                         "body": "Hello, World! (edited)", %s}""".formatted(GITHUB_SIGNATURE, GITHUB_AUTH), "FORBIDDEN"),
                refused("a tampered Latin-1 body is FORBIDDEN", """
                        {"method": "POST", "path": "/hooks/form", "headers": {"x-hub-signature-256": "%s"},
                         "bodyBase64": "%s", %s}""".formatted(signed(LATIN1_FORM),
                        Base64.getEncoder().encodeToString("name=J\u00fcrgen&city=Bonn".getBytes(StandardCharsets.ISO_8859_1)),
                        GITHUB_AUTH), "FORBIDDEN"),
                refused("a malformed signature is FORBIDDEN", """
                        {"method": "POST", "path": "/hooks/github", "headers": {"x-hub-signature-256": "sha1=757107ea"},
                         "body": "%s", %s}""".formatted(GITHUB_PAYLOAD, GITHUB_AUTH), "FORBIDDEN"),
                refused("a JSON content type with a body that is not JSON is INVALID_BODY", """
                        {"method": "POST", "path": "/hooks/orders", "headers": {"content-type": "application/json"},
                         "body": "{\\"order\\": 17,"}""", "INVALID_BODY"),
                refused("a secret that is not configured is UNKNOWN_SECRET", """
                        {"method": "POST", "path": "/hooks/x", "headers": {"x-token": "t"},
                         "expected": {"auth": {"type": "header", "header": "x-token", "secretName": "not-configured"}}}""",
                        "UNKNOWN_SECRET"),
                refused("an unknown auth type is INVALID_PARAMETERS", """
                        {"method": "POST", "path": "/h", "expected": {"auth": {"type": "basic"}}}""", "INVALID_PARAMETERS"),
                refused("a body both as text and in base64 is INVALID_PARAMETERS", """
                        {"method": "POST", "path": "/h", "body": "x", "bodyBase64": "eA=="}""", "INVALID_PARAMETERS"));
    }

    private static HookCase accepted(String name, String input, String output) {
        return new HookCase(name, input, null, output);
    }

    private static HookCase refused(String name, String input, String code) {
        return new HookCase(name, input, code, null);
    }

    private static String signed(byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(Hook.hmacSha256(GITHUB_SECRET.getBytes(StandardCharsets.UTF_8), body));
    }

    /** Checks the result event's type and data, as either trigger delivered it. */
    void assertResult(String eventType, byte[] data) {
        JsonNode result = read(data);
        if (code == null) {
            assertEquals("block.hook.output", eventType, result::toString);
            assertContains(read(output.getBytes(StandardCharsets.UTF_8)), result, "output");
        } else {
            assertEquals("block.hook.error", eventType, result::toString);
            assertEquals(code, result.path("code").asText(), result::toString);
            assertFalse(result.path("retryable").asBoolean(), "no hook error is retryable");
            assertFalse(result.path("message").asText().isEmpty(), "an error says what is wrong");
        }
    }

    private static void assertContains(JsonNode expected, JsonNode actual, String where) {
        if (!expected.isObject()) {
            assertEquals(expected, actual, where);
            return;
        }
        assertTrue(actual != null && actual.isObject(), where + " is not an object: " + actual);
        for (Iterator<Map.Entry<String, JsonNode>> fields = expected.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!actual.has(field.getKey())) {
                fail(where + "." + field.getKey() + " is missing: " + actual);
            }
            assertContains(field.getValue(), actual.get(field.getKey()), where + "." + field.getKey());
        }
    }

    private static JsonNode read(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
