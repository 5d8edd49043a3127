package io.ninetail.hook;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ninetail.core.block.Block;
import io.ninetail.core.block.BlockContext;
import io.ninetail.core.block.BlockFailure;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code hook}: the inbound webhook that starts a run. The api hands this block the raw request
 * and what the workflow's hook block expects; the block checks the method and the
 * authentication and outputs the request, its body parsed when it is JSON.
 *
 * <p>The input the api sends for a GitHub-style signed webhook:
 * <pre>{@code
 * {"method": "POST", "path": "/hooks/deploy",
 *  "headers": {"content-type": "application/json", "x-hub-signature-256": "sha256=757107ea…"},
 *  "query": {"env": "prod"},
 *  "body": "{\"ref\": \"refs/heads/main\"}",
 *  "expected": {"method": "POST", "auth": {"type": "hmac-sha256", "secretName": "github"}}}
 * }</pre>
 * gives {@code {"method": "POST", "path": "/hooks/deploy", "headers": {…}, "query": {"env": "prod"},
 * "body": {"ref": "refs/heads/main"}}}, which later blocks read as {@code ${ .trigger.body.ref }}.
 *
 * <p>Errors (none retryable; the api answers the caller with the status in brackets):
 * {@code METHOD_NOT_ALLOWED} (405), {@code UNAUTHORIZED} (401: the auth header is missing),
 * {@code FORBIDDEN} (403: it is there but wrong), {@code INVALID_BODY} (400: the content type
 * says JSON, the body is not), {@code UNKNOWN_SECRET} (500: the named secret is not configured,
 * a deployment mistake).
 *
 * <p>Secrets come from configuration by name, never from the workflow:
 * {@code ninetail.hook.secrets.<name>} or the environment variable
 * {@code NINETAIL_HOOK_SECRETS_<NAME>}. They are compared in constant time.
 */
@ApplicationScoped
public class Hook implements Block<Hook.Parameters, Hook.Output> {

    static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    static final String UNAUTHORIZED = "UNAUTHORIZED";
    static final String FORBIDDEN = "FORBIDDEN";
    static final String INVALID_BODY = "INVALID_BODY";
    static final String UNKNOWN_SECRET = "UNKNOWN_SECRET";

    static final String SECRETS_PREFIX = "ninetail.hook.secrets.";
    static final String NONE = "none";
    static final String HEADER = "header";
    static final String HMAC_SHA256 = "hmac-sha256";
    static final List<String> AUTH_TYPES = List.of(NONE, HEADER, HMAC_SHA256);
    /** Where GitHub puts its signature; the default header of {@code hmac-sha256}. */
    static final String DEFAULT_SIGNATURE_HEADER = "x-hub-signature-256";
    /** What the shared-secret header's value becomes in the output, which is kept in the run's history. */
    static final String REDACTED = "[redacted]";
    static final Pattern SECRET_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$");
    private static final Pattern SIGNATURE = Pattern.compile("(?i)^\\s*sha256=([0-9a-f]{64})\\s*$");

    /**
     * The raw request as the api received it, and what the workflow's hook block expects of it.
     *
     * @param method   the request's method (required), e.g. {@code POST}
     * @param path     the request's path as received (required), e.g. {@code /hooks/deploy}
     * @param headers  the request's headers, name → value; names are read case-insensitively and
     *                 come out lower-case; a repeated header is one value joined with ", "
     * @param query    the query parameters, name → a string, or a list of strings when the name
     *                 repeats
     * @param body     the raw body as text, when it is UTF-8 (nearly always): the signature is
     *                 checked over its UTF-8 bytes, exactly those received. Missing or empty: no body.
     * @param bodyBase64 the raw body in base64, when it is not UTF-8 (e.g. a Latin-1 form post), so
     *                 no byte is lost on the way: the signature is checked over the decoded bytes.
     *                 Not together with a {@code body}.
     * @param expected what the hook block of the workflow asks for (default: POST, no auth)
     */
    @RegisterForReflection
    public record Parameters(String method, String path, Map<String, String> headers, Map<String, JsonNode> query,
                             String body, String bodyBase64, Expected expected) {
        public Parameters {
            if (method == null || method.isBlank()) {
                throw new IllegalArgumentException("parameter 'method' is required: the request's HTTP method");
            }
            method = method.strip().toUpperCase(Locale.ROOT);
            if (path == null) {
                throw new IllegalArgumentException("parameter 'path' is required: the request's path");
            }
            headers = lowerCaseNames(headers);
            query = query == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(query));
            query.forEach((name, value) -> {
                boolean text = value != null && (value.isTextual()
                        || value.isArray() && java.util.stream.StreamSupport.stream(value.spliterator(), false)
                                .allMatch(JsonNode::isTextual));
                if (!text) {
                    throw new IllegalArgumentException("parameter 'query." + name
                            + "' must be a string or a list of strings");
                }
            });
            body = body == null ? "" : body;
            RequestBody.of(body, bodyBase64);
            expected = expected == null ? new Expected(null, null) : expected;
        }

        /** The body as received, whichever way it was sent. */
        RequestBody requestBody() {
            return RequestBody.of(body, bodyBase64);
        }

        private static Map<String, String> lowerCaseNames(Map<String, String> headers) {
            Map<String, String> lower = new LinkedHashMap<>();
            if (headers != null) {
                headers.forEach((name, value) -> {
                    if (value == null) {
                        throw new IllegalArgumentException("parameter 'headers." + name + "' must be a string");
                    }
                    lower.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + ", " + b);
                });
            }
            return Collections.unmodifiableMap(lower);
        }
    }

    /**
     * What the workflow's hook block asks of the request (its {@code with}, filled in by the api).
     *
     * @param method the only method accepted (default POST)
     * @param auth   how the caller proves who it is (default: no check)
     */
    @RegisterForReflection
    public record Expected(String method, Auth auth) {
        public Expected {
            method = method == null ? "POST" : method.strip().toUpperCase(Locale.ROOT);
            auth = auth == null ? new Auth(null, null, null) : auth;
        }
    }

    /**
     * @param type   {@code none} (default), {@code header} (a shared secret sent as the whole
     *               value of a header) or {@code hmac-sha256} (an HMAC-SHA256 of the raw body,
     *               keyed with the secret, sent as {@code sha256=<hex>}, as GitHub does)
     * @param header the header that carries the secret or signature: required for
     *               {@code header}; for {@code hmac-sha256} default {@code x-hub-signature-256}
     * @param secretName the <em>name</em> of the secret in configuration (required for
     *               {@code header} and {@code hmac-sha256}): the value is configured as
     *               {@code ninetail.hook.secrets.<name>} (environment
     *               {@code NINETAIL_HOOK_SECRETS_<NAME>}), never written in a workflow
     */
    @RegisterForReflection
    public record Auth(String type, String header, String secretName) {
        public Auth {
            type = type == null ? NONE : type.strip().toLowerCase(Locale.ROOT);
            if (!AUTH_TYPES.contains(type)) {
                throw new IllegalArgumentException("parameter 'expected.auth.type' must be one of "
                        + String.join(", ", AUTH_TYPES) + ", was '" + type + "'");
            }
            if (type.equals(NONE)) {
                if (header != null || secretName != null) {
                    throw new IllegalArgumentException("parameter 'expected.auth': 'header' and 'secretName' need"
                            + " type header or hmac-sha256");
                }
            } else {
                if (type.equals(HMAC_SHA256) && header == null) {
                    header = DEFAULT_SIGNATURE_HEADER;
                }
                if (header == null || header.isBlank()) {
                    throw new IllegalArgumentException("parameter 'expected.auth.header' is required for type header:"
                            + " the header that carries the secret, e.g. x-webhook-token");
                }
                header = header.strip().toLowerCase(Locale.ROOT);
                if (secretName == null || !SECRET_NAME.matcher(secretName).matches()) {
                    throw new IllegalArgumentException("parameter 'expected.auth.secretName' must name a configured secret"
                            + " (letters, digits, '-' and '_'; its value is ninetail.hook.secrets.<name>)");
                }
            }
        }
    }

    /**
     * The request, for the blocks after the hook.
     *
     * @param method  upper case
     * @param path    as received
     * @param headers lower-case names; the value of a {@code header}-auth secret header is
     *                {@value #REDACTED}, so the secret never reaches the run's history
     * @param query   name → string, or list of strings
     * @param body    parsed JSON when the content type is JSON ({@code application/json},
     *                {@code …+json}); otherwise the raw text (a {@code bodyBase64} body decoded as
     *                {@link RequestBody#text} says); null when there is no body
     */
    @RegisterForReflection
    public record Output(String method, String path, Map<String, String> headers, Map<String, JsonNode> query,
                         JsonNode body) {
    }

    private final Function<String, Optional<String>> secrets;
    private final ObjectMapper mapper;

    @Inject
    public Hook(Config config, ObjectMapper mapper) {
        this(name -> config.getOptionalValue(SECRETS_PREFIX + name, String.class), mapper);
    }

    /** With secrets looked up by name in {@code secrets} (tests). */
    Hook(Function<String, Optional<String>> secrets, ObjectMapper mapper) {
        this.secrets = secrets;
        this.mapper = mapper;
    }

    @Override
    public String type() {
        return "hook";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    /** Checks and parsing are short CPU work, done on the worker thread the trigger runs the block on. */
    @Override
    public Uni<Output> execute(Parameters parameters, BlockContext context) {
        return Uni.createFrom().item(() -> check(parameters));
    }

    /** The whole block, synchronously: the checks in order (method, then auth), then the output. */
    Output check(Parameters request) {
        Expected expected = request.expected();
        if (!request.method().equals(expected.method())) {
            throw BlockFailure.of(METHOD_NOT_ALLOWED, "this hook accepts " + expected.method() + ", not "
                    + request.method(), false, Map.of("expected", expected.method(), "received", request.method()));
        }
        Auth auth = expected.auth();
        Map<String, String> headers = request.headers();
        RequestBody body = request.requestBody();
        switch (auth.type()) {
            case HEADER -> {
                byte[] secret = secret(auth);
                String presented = present(request, auth);
                if (!MessageDigest.isEqual(sha256(presented.getBytes(StandardCharsets.UTF_8)), sha256(secret))) {
                    throw forbidden(auth, "header '" + auth.header() + "' does not hold the expected secret");
                }
                Map<String, String> redacted = new LinkedHashMap<>(headers);
                redacted.put(auth.header(), REDACTED);
                headers = Collections.unmodifiableMap(redacted);
            }
            case HMAC_SHA256 -> {
                byte[] secret = secret(auth);
                String presented = present(request, auth);
                var signature = SIGNATURE.matcher(presented);
                if (!signature.matches()) {
                    throw forbidden(auth, "header '" + auth.header() + "' is not of the form sha256=<64 hex digits>");
                }
                byte[] expectedMac = hmacSha256(secret, body.bytes());
                if (!MessageDigest.isEqual(HexFormat.of().parseHex(signature.group(1).toLowerCase(Locale.ROOT)),
                        expectedMac)) {
                    throw forbidden(auth, "header '" + auth.header() + "' is not the HMAC-SHA256 of the body"
                            + " with the expected secret");
                }
            }
            default -> {
                // none: anyone who knows the URL may call
            }
        }
        return new Output(request.method(), request.path(), headers, request.query(), body(body, headers));
    }

    private byte[] secret(Auth auth) {
        return secrets.apply(auth.secretName()).filter(value -> !value.isEmpty())
                .map(value -> value.getBytes(StandardCharsets.UTF_8))
                .orElseThrow(() -> BlockFailure.of(UNKNOWN_SECRET, "no secret named '" + auth.secretName()
                        + "' is configured: set " + SECRETS_PREFIX + auth.secretName() + " (or the environment variable "
                        + envName(auth.secretName()) + ") on the hook function", false, Map.of("secretName", auth.secretName())));
    }

    private static String present(Parameters request, Auth auth) {
        String value = request.headers().get(auth.header());
        if (value == null || value.isEmpty()) {
            throw BlockFailure.of(UNAUTHORIZED, "header '" + auth.header() + "' is missing", false,
                    Map.of("header", auth.header()));
        }
        return value;
    }

    private static BlockFailure forbidden(Auth auth, String message) {
        return BlockFailure.of(FORBIDDEN, message, false, Map.of("header", auth.header()));
    }

    private JsonNode body(RequestBody body, Map<String, String> headers) {
        if (body.isEmpty()) {
            return null;
        }
        String contentType = headers.getOrDefault("content-type", "");
        String text = body.text(contentType);
        if (!isJson(contentType)) {
            return mapper.getNodeFactory().textNode(text);
        }
        try {
            return mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
        } catch (IOException e) {
            String reason = e instanceof com.fasterxml.jackson.core.JsonProcessingException json
                    ? json.getOriginalMessage() : e.getMessage();
            throw BlockFailure.of(INVALID_BODY, "the body is not valid JSON, as its content type '" + contentType
                    + "' says: " + reason, false, Map.of("contentType", contentType));
        }
    }

    static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The environment variable that configures secret {@code name} (MicroProfile Config's mapping). */
    static String envName(String name) {
        return (SECRETS_PREFIX + name).replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
