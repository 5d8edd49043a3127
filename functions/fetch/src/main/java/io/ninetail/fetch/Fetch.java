package io.ninetail.fetch;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ninetail.core.block.Block;
import io.ninetail.core.block.BlockContext;
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
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
 *  "with": {"url": "https://example.com/search", "query": {"q": "rock & roll", "page": 2},
 *           "headers": {"accept": "text/html"}, "timeout": "PT10S"}}
 * }</pre>
 * gives {@code {"status": 200, "headers": {"content-type": "text/html; charset=utf-8", …},
 * "url": "https://www.example.com/search?q=rock%20%26%20roll&page=2", "body": "<html>…",
 * "bytes": 20480, "elapsedMs": 112}} ({@code url} is where the redirects ended).
 *
 * <p>Errors: {@code TIMEOUT}, {@code CONNECT} (both retryable), {@code DNS}, {@code TLS},
 * {@code STATUS} (a status ≥ 400 while {@code failOnStatus}; retryable for 429 and 5xx, with
 * {@code details.retryAfterMs} from a {@code Retry-After}), {@code BODY_TOO_LARGE},
 * {@code BLOCKED_TARGET} (the SSRF guard, {@link TargetGuard}) and {@code REDIRECT} (more than
 * {@value #MAX_REDIRECTS} redirects, or one to a URL that is not http(s)).
 */
@ApplicationScoped
public class Fetch implements Block<Fetch.Parameters, Fetch.Output> {

    static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final long DEFAULT_MAX_BODY_BYTES = 5L * 1024 * 1024;
    /** Redirects followed at most for one fetch; one more is the error {@code REDIRECT}. */
    static final int MAX_REDIRECTS = 10;
    static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** Headers that are not passed on when a redirect leads to another origin (scheme, host, port). */
    static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");
    private static final int EXCERPT_CHARS = 512;
    /** A redirect's own body is read and dropped up to this size; a longer one costs its connection. */
    private static final int REDIRECT_BODY_DRAIN_BYTES = 64 * 1024;

    /**
     * @param url             absolute {@code http} or {@code https} URL (required). Characters a URL
     *                        may not contain (spaces, non-ASCII letters) are percent-encoded; the
     *                        {@code #fragment} is not sent.
     * @param method          GET (default), POST, PUT, PATCH, DELETE, HEAD or OPTIONS
     * @param headers         request headers, name → value
     * @param query           query parameters added to those already in {@code url}: name → a
     *                        string, number or boolean, or a list of them (the name repeats); null
     *                        leaves the parameter out. Percent-encoded for you.
     * @param body            request body: a string is sent as given, any other JSON value as JSON
     *                        with {@code content-type: application/json} (unless {@code headers}
     *                        set one)
     * @param timeout         for the whole exchange, redirects included, from resolving the host to
     *                        the last byte: a duration as everywhere in a workflow, ISO-8601
     *                        ({@code PT10S}) or short ({@code 10s}, {@code 500ms}); default PT30S
     * @param followRedirects follow 301, 302, 303, 307 and 308 answers, at most
     *                        {@value #MAX_REDIRECTS} (default true). 303, and 301/302 after a POST,
     *                        continue as GET without a body, as browsers do; 307 and 308 repeat the
     *                        method and body. Credentials ({@code authorization}, {@code cookie})
     *                        are not sent on to another origin. False: a 3xx is the output.
     * @param failOnStatus    a status of 400 or more is the error {@code STATUS} (default true);
     *                        false makes it an ordinary output
     * @param maxBodyBytes    a larger response body is the error {@code BODY_TOO_LARGE}, found out
     *                        without holding more than this in memory (default 5 MiB = 5242880)
     */
    @RegisterForReflection
    public record Parameters(String url, String method, Map<String, String> headers, Map<String, JsonNode> query,
                             JsonNode body, @JsonDeserialize(using = DurationsDeserializer.class) Duration timeout,
                             Boolean followRedirects, Boolean failOnStatus, Long maxBodyBytes) {
        public Parameters {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("parameter 'url' is required");
            }
            try {
                Urls.parse(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("parameter 'url' must be an absolute http(s) URL, was '" + url
                        + "' (" + e.getMessage() + ")");
            }
            method = method == null ? "GET" : method.strip().toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                throw new IllegalArgumentException("parameter 'method' must be one of "
                        + String.join(", ", METHODS) + ", was '" + method + "'");
            }
            headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            headers.forEach((name, value) -> {
                if (name.isBlank() || value == null) {
                    throw new IllegalArgumentException("parameter 'headers." + name + "' must be a non-empty name"
                            + " with a string value");
                }
            });
            query = query == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(query));
            query.forEach(Urls::checkQueryValue);
            timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("parameter 'timeout' must be positive, was " + timeout);
            }
            followRedirects = followRedirects == null || followRedirects;
            failOnStatus = failOnStatus == null || failOnStatus;
            maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
            if (maxBodyBytes < 0) {
                throw new IllegalArgumentException("parameter 'maxBodyBytes' must not be negative");
            }
        }

        /** The URL of the first request: {@code url} with {@code query} merged in. */
        URI target() {
            return Urls.withQuery(Urls.parse(url), query);
        }
    }

    /**
     * @param status    the HTTP status (a 3xx only when {@code followRedirects} is false or the
     *                  redirect has no {@code Location})
     * @param headers   response headers, lower-case names; repeated headers joined with ", "
     * @param url       the URL that gave this answer: {@code url} with {@code query}, after redirects
     * @param body      parsed JSON when the content type is JSON ({@code application/json},
     *                  {@code …+json}) and the body parses; otherwise text, decoded with the
     *                  charset of the {@code Content-Type} header, or for HTML of its
     *                  {@code <meta charset>}, else UTF-8; null when there is no body
     * @param bytes     size of the body as received (after any content-encoding is undone)
     * @param elapsedMs from the start of the fetch to the last byte, redirects included
     */
    @RegisterForReflection
    public record Output(int status, Map<String, String> headers, String url, JsonNode body, long bytes,
                         long elapsedMs) {
    }

    /** One request of the exchange: the first, or one after a redirect. */
    private record Hop(URI url, String method, Map<String, String> headers, Buffer body, int redirects) {
        String target() {
            return method + " " + url;
        }
    }

    /** The final response before its body is decoded (decoding is not event-loop work). */
    private record Received(int status, Map<String, String> headers, Buffer body, URI url, String target) {
    }

    /** One execution: its deadline, its result, and the request in flight so that a timeout can cancel it. */
    private final class Exchange {
        final Parameters parameters;
        final long startedNanos = System.nanoTime();
        final long deadlineNanos;
        final Promise<Received> result = Promise.promise();
        final AtomicReference<HttpClientRequest> inFlight = new AtomicReference<>();
        /** The hop under way, for the words of a timeout. */
        volatile Hop current;
        volatile boolean aborted;

        Exchange(Parameters parameters) {
            this.parameters = parameters;
            this.deadlineNanos = startedNanos + parameters.timeout().toNanos();
        }

        boolean over() {
            return aborted || result.future().isComplete();
        }

        long remainingMillis() {
            return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        }

        void fail(Throwable failure, String target) {
            result.tryFail(FetchErrors.of(failure, target, parameters));
        }

        void abort() {
            aborted = true;
            HttpClientRequest request = inFlight.get();
            if (request != null) {
                request.reset();
            }
        }
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final ObjectMapper mapper;
    private final TargetGuard guard;

    @Inject
    public Fetch(Vertx vertx, ObjectMapper mapper, TargetGuard guard) {
        this(vertx, mapper, guard, new HttpClientOptions());
    }

    /** With client options of the caller's (tests trust their own certificate this way). */
    Fetch(Vertx vertx, ObjectMapper mapper, TargetGuard guard, HttpClientOptions options) {
        this.vertx = vertx;
        this.mapper = mapper;
        this.guard = guard;
        // One pooled client for the process: connections are kept alive and reused, per
        // address and host name.
        this.client = vertx.createHttpClient(
                options.setKeepAlive(true).setTryUseCompression(true).setVerifyHost(true),
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
        Exchange exchange = new Exchange(parameters);
        Map<String, String> headers = new LinkedHashMap<>(parameters.headers());
        Buffer body = requestBody(parameters, headers);
        Hop first = new Hop(parameters.target(), parameters.method(), headers, body, 0);
        send(exchange, first);
        return Uni.createFrom().completionStage(exchange.result.future().toCompletionStage())
                .ifNoItem().after(parameters.timeout()).failWith(() -> FetchErrors.timeout(
                        exchange.current.target(), parameters))
                .onFailure().invoke(exchange::abort)
                .onCancellation().invoke(exchange::abort)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(response -> toOutput(response, exchange));
    }

    /** Resolves and checks the host (off the event loop), then sends to exactly that address. */
    private void send(Exchange exchange, Hop hop) {
        if (exchange.over()) {
            return;
        }
        exchange.current = hop;
        vertx.<InetAddress>executeBlocking(() -> guard.resolve(Urls.hostName(hop.url()), hop.target()), false)
                .onFailure(failure -> exchange.fail(failure, hop.target()))
                .onSuccess(address -> request(exchange, hop, address));
    }

    private void request(Exchange exchange, Hop hop, InetAddress address) {
        if (exchange.over()) {
            return;
        }
        URI url = hop.url();
        int port = Urls.port(url);
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(hop.method()))
                .setSsl(url.getScheme().equalsIgnoreCase("https"))
                // The name is the Host header, the TLS SNI and what the certificate must match…
                .setHost(url.getHost())
                .setPort(port)
                .setURI(Urls.requestTarget(url))
                // …the address is the one the guard checked: no second DNS lookup.
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, port)))
                .setFollowRedirects(false)
                .setConnectTimeout(exchange.remainingMillis())
                .setIdleTimeout(exchange.remainingMillis());
        hop.headers().forEach(options::putHeader);
        client.request(options)
                .onFailure(failure -> exchange.fail(failure, hop.target()))
                .onSuccess(request -> {
                    exchange.inFlight.set(request);
                    if (exchange.aborted) {
                        request.reset();
                        return;
                    }
                    // The body handlers must be in place when the headers arrive: a small
                    // response can end in the same read, before a chained callback would run.
                    request.response()
                            .onSuccess(response -> {
                                try {
                                    onResponse(exchange, hop, response);
                                } catch (RuntimeException e) {
                                    exchange.fail(e, hop.target());
                                }
                            })
                            .onFailure(failure -> exchange.fail(failure, hop.target()));
                    (hop.body() == null ? request.end() : request.end(hop.body()))
                            .onFailure(failure -> exchange.fail(failure, hop.target()));
                });
    }

    private void onResponse(Exchange exchange, Hop hop, HttpClientResponse response) {
        String location = response.getHeader("location");
        if (exchange.parameters.followRedirects() && REDIRECTS.contains(response.statusCode()) && location != null) {
            Hop next;
            if (hop.redirects() == MAX_REDIRECTS) {
                exchange.result.tryFail(FetchErrors.redirect(hop.target(), "more than " + MAX_REDIRECTS
                        + " redirects (the last to " + location + ")", hop.redirects()));
                response.request().reset();
                return;
            }
            try {
                next = redirect(hop, response.statusCode(), Urls.redirect(hop.url(), location));
            } catch (IllegalArgumentException e) {
                exchange.result.tryFail(FetchErrors.redirect(hop.target(), "answered " + response.statusCode()
                        + " with a Location that is not an http(s) URL: '" + location + "'", hop.redirects()));
                response.request().reset();
                return;
            }
            drainThen(response, () -> send(exchange, next));
            return;
        }
        readBody(exchange, hop, response);
    }

    /** The request a redirect asks for, as browsers make it. */
    private static Hop redirect(Hop hop, int status, URI to) {
        boolean asGet = status == 303 && !hop.method().equals("HEAD")
                || (status == 301 || status == 302) && hop.method().equals("POST");
        Map<String, String> headers = new LinkedHashMap<>();
        boolean sameOrigin = Urls.sameOrigin(hop.url(), to);
        hop.headers().forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!sameOrigin && CREDENTIAL_HEADERS.contains(lower)) {
                return;
            }
            if (asGet && (lower.equals("content-type") || lower.equals("content-length"))) {
                return;
            }
            headers.put(name, value);
        });
        return new Hop(to, asGet ? "GET" : hop.method(), headers, asGet ? null : hop.body(), hop.redirects() + 1);
    }

    /** Reads a redirect's body to the end so the connection can be reused; a long one is cut off instead. */
    private static void drainThen(HttpClientResponse response, Runnable next) {
        long[] seen = {0};
        boolean[] done = {false};
        Runnable once = () -> {
            if (!done[0]) {
                done[0] = true;
                next.run();
            }
        };
        response.handler(chunk -> {
            seen[0] += chunk.length();
            if (seen[0] > REDIRECT_BODY_DRAIN_BYTES) {
                response.request().reset();
                once.run();
            }
        });
        response.exceptionHandler(ignored -> once.run());
        response.endHandler(ignored -> once.run());
    }

    private static void readBody(Exchange exchange, Hop hop, HttpClientResponse response) {
        long limit = exchange.parameters.maxBodyBytes();
        String declared = response.getHeader("content-length");
        if (declared != null && parseLong(declared) > limit) {
            // Fail first: resetting reports a closed connection of its own.
            exchange.result.tryFail(FetchErrors.tooLarge(hop.target(), exchange.parameters, parseLong(declared)));
            response.request().reset();
            return;
        }
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (exchange.result.future().isComplete()) {
                return;
            }
            if (body.length() + (long) chunk.length() > limit) {
                exchange.result.tryFail(FetchErrors.tooLarge(hop.target(), exchange.parameters,
                        body.length() + (long) chunk.length()));
                response.request().reset();
            } else {
                body.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(failure -> exchange.fail(failure, hop.target()));
        response.endHandler(done -> {
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(),
                    (a, b) -> a + ", " + b));
            exchange.result.tryComplete(new Received(response.statusCode(), Collections.unmodifiableMap(headers),
                    body, hop.url(), hop.target()));
        });
    }

    private Buffer requestBody(Parameters parameters, Map<String, String> headers) {
        JsonNode body = parameters.body();
        if (body == null || body.isNull()) {
            return null;
        }
        if (body.isTextual()) {
            return Buffer.buffer(body.textValue());
        }
        if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("content-type"))) {
            headers.put("content-type", "application/json");
        }
        try {
            return Buffer.buffer(mapper.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException("a JsonNode always serialises", e);
        }
    }

    private Output toOutput(Received response, Exchange exchange) {
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - exchange.startedNanos);
        byte[] bytes = response.body().getBytes();
        String contentType = response.headers().getOrDefault("content-type", "");
        if (exchange.parameters.failOnStatus() && response.status() >= 400) {
            throw FetchErrors.status(response.target(), response.status(), excerpt(bytes, contentType),
                    response.headers().get("retry-after"), Instant.now());
        }
        return new Output(response.status(), response.headers(), response.url().toString(),
                decode(bytes, contentType), bytes.length, elapsedMs);
    }

    private JsonNode decode(byte[] bytes, String contentType) {
        if (bytes.length == 0) {
            return null;
        }
        if (BodyText.isJson(contentType)) {
            try {
                return mapper.readTree(bytes);
            } catch (IOException e) {
                // Servers mislabel content; the text is still worth having.
            }
        }
        return TextNode.valueOf(BodyText.decode(bytes, contentType));
    }

    private static String excerpt(byte[] bytes, String contentType) {
        String text = BodyText.decode(bytes, contentType);
        return text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS) + "…";
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
