package io.ninetail.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ninetail.core.block.Block;
import io.ninetail.core.block.BlockContext;
import io.ninetail.core.block.BlockFailure;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code fetch}: one HTTP request.
 *
 * <pre>{@code
 * {"id": "page", "type": "fetch",
 *  "with": {"url": "https://example.com/news", "method": "GET",
 *           "headers": {"accept": "text/html"}, "timeout": "PT10S"}}
 * }</pre>
 * gives {@code {"status": 200, "headers": {...}, "url": "https://example.com/news",
 * "body": "<html>…", "bytes": 20480, "elapsedMs": 12}}.
 *
 * <p>Errors: {@code CONNECT}, {@code TIMEOUT} (both retryable), {@code DNS}, {@code TLS},
 * {@code STATUS} (status ≥ 400 while {@code failOnStatus}; retryable for 429 and 5xx) and
 * {@code BODY_TOO_LARGE}.
 */
@ApplicationScoped
public class Fetch implements Block<Fetch.Parameters, Fetch.Output> {

    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final long DEFAULT_MAX_BODY_BYTES = 5L * 1024 * 1024;
    private static final int EXCERPT_CHARS = 512;

    /**
     * @param url          absolute {@code http} or {@code https} URL (required)
     * @param method       GET (default), POST, PUT, PATCH, DELETE, HEAD or OPTIONS
     * @param headers      request headers, name → value
     * @param body         request body: a string is sent as given, any other JSON value as
     *                     {@code application/json}
     * @param timeout      for the whole exchange, connect to last byte (default PT30S)
     * @param failOnStatus a status of 400 or more is an error (default true)
     * @param maxBodyBytes a larger response body is the error {@code BODY_TOO_LARGE} (default 5 MiB)
     */
    public record Parameters(String url, String method, Map<String, String> headers, JsonNode body,
                             Duration timeout, Boolean failOnStatus, Long maxBodyBytes) {
        public Parameters {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("parameter 'url' is required");
            }
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("parameter 'url' is not a URL: " + e.getMessage());
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException("parameter 'url' must be an absolute http(s) URL, was '" + url + "'");
            }
            method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                throw new IllegalArgumentException("parameter 'method' must be one of "
                        + String.join(", ", METHODS.stream().sorted().toList()) + ", was '" + method + "'");
            }
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("parameter 'timeout' must be positive, was " + timeout);
            }
            failOnStatus = failOnStatus == null || failOnStatus;
            maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
            if (maxBodyBytes < 0) {
                throw new IllegalArgumentException("parameter 'maxBodyBytes' must not be negative");
            }
        }
    }

    /**
     * @param status    the HTTP status
     * @param headers   response headers, lower-case names; repeated headers joined with ", "
     * @param url       the URL that answered
     * @param body      parsed JSON when the content type is JSON, otherwise text in the declared
     *                  charset (UTF-8 when none); null when the response has no body
     * @param bytes     size of the body as received
     * @param elapsedMs from sending the request to the last byte
     */
    public record Output(int status, Map<String, String> headers, String url, JsonNode body, long bytes,
                         long elapsedMs) {
    }

    /** The response before its body is decoded (decoding is not event-loop work). */
    private record Received(int status, Map<String, String> headers, Buffer body, long startedNanos) {
    }

    private final HttpClient client;
    private final ObjectMapper mapper;

    public Fetch(Vertx vertx, ObjectMapper mapper) {
        this.mapper = mapper;
        // One pooled client for the process: connections are kept alive and reused.
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTryUseCompression(true).setVerifyHost(true),
                new PoolOptions().setHttp1MaxSize(64));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    @Override
    public String type() {
        return "fetch";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Uni<Output> execute(Parameters parameters, BlockContext context) {
        long started = System.nanoTime();
        AtomicReference<HttpClientRequest> inFlight = new AtomicReference<>();
        Promise<Received> received = Promise.promise();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(parameters.method()))
                .setAbsoluteURI(parameters.url())
                .setConnectTimeout(parameters.timeout().toMillis())
                .setIdleTimeout(parameters.timeout().toMillis());
        parameters.headers().forEach(options::putHeader);
        Buffer body = requestBody(parameters, options);
        client.request(options)
                .onFailure(failure -> received.tryFail(FetchErrors.of(failure, parameters)))
                .onSuccess(request -> {
                    inFlight.set(request);
                    // The body handlers must be in place when the headers arrive: a small
                    // response can end in the same read, before a chained callback would run.
                    request.response()
                            .onSuccess(response -> {
                                try {
                                    readBody(response, parameters, started, received);
                                } catch (RuntimeException e) {
                                    received.tryFail(FetchErrors.of(e, parameters));
                                }
                            })
                            .onFailure(failure -> received.tryFail(FetchErrors.of(failure, parameters)));
                    (body == null ? request.end() : request.end(body))
                            .onFailure(failure -> received.tryFail(FetchErrors.of(failure, parameters)));
                });
        return Uni.createFrom().completionStage(received.future().toCompletionStage())
                .ifNoItem().after(parameters.timeout()).failWith(() -> FetchErrors.timeout(parameters))
                .onFailure().invoke(() -> reset(inFlight))
                .onCancellation().invoke(() -> reset(inFlight))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(response -> toOutput(response, parameters));
    }

    private Buffer requestBody(Parameters parameters, RequestOptions options) {
        JsonNode body = parameters.body();
        if (body == null || body.isNull()) {
            return null;
        }
        if (body.isTextual()) {
            return Buffer.buffer(body.textValue());
        }
        if (!hasHeader(parameters.headers(), "content-type")) {
            options.putHeader("content-type", "application/json");
        }
        try {
            return Buffer.buffer(mapper.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException("a JsonNode always serialises", e);
        }
    }

    private static void readBody(HttpClientResponse response, Parameters parameters, long started,
                                 Promise<Received> received) {
        long limit = parameters.maxBodyBytes();
        String declared = response.getHeader("content-length");
        if (declared != null && parseLong(declared) > limit) {
            response.request().reset();
            received.tryFail(FetchErrors.tooLarge(parameters, parseLong(declared)));
            return;
        }
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (body.length() + (long) chunk.length() > limit) {
                response.request().reset();
                received.tryFail(FetchErrors.tooLarge(parameters, body.length() + (long) chunk.length()));
            } else {
                body.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(failure -> received.tryFail(FetchErrors.of(failure, parameters)));
        response.endHandler(done -> {
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(),
                    (a, b) -> a + ", " + b));
            received.tryComplete(new Received(response.statusCode(), Map.copyOf(headers), body, started));
        });
    }

    private Output toOutput(Received response, Parameters parameters) {
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - response.startedNanos());
        byte[] bytes = response.body().getBytes();
        String contentType = response.headers().getOrDefault("content-type", "");
        if (parameters.failOnStatus() && response.status() >= 400) {
            throw FetchErrors.status(parameters, response.status(), excerpt(bytes, contentType),
                    response.headers().get("retry-after"));
        }
        return new Output(response.status(), response.headers(), parameters.url(),
                decode(bytes, contentType), bytes.length, elapsedMs);
    }

    private JsonNode decode(byte[] bytes, String contentType) {
        if (bytes.length == 0) {
            return null;
        }
        if (isJson(contentType)) {
            try {
                return mapper.readTree(bytes);
            } catch (IOException e) {
                // Servers mislabel content; the text is still worth having.
            }
        }
        return TextNode.valueOf(new String(bytes, charset(contentType)));
    }

    private static String excerpt(byte[] bytes, String contentType) {
        String text = new String(bytes, charset(contentType));
        return text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS) + "…";
    }

    static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    static Charset charset(String contentType) {
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
                try {
                    return Charset.forName(pair[1].trim().replace("\"", ""));
                } catch (IllegalArgumentException unknown) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static boolean hasHeader(Map<String, String> headers, String name) {
        return headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase(name));
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void reset(AtomicReference<HttpClientRequest> inFlight) {
        HttpClientRequest request = inFlight.get();
        if (request != null) {
            request.reset();
        }
    }
}
