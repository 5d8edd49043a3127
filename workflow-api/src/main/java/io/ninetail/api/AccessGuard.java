package io.ninetail.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * Who may call the api, checked before any route runs:
 *
 * <ul>
 *   <li>with API keys configured ({@code ninetail.api.keys}), {@code /workflows} and {@code /runs}
 *       need {@code Authorization: Bearer <key>} (401 problem otherwise). The presented key is
 *       compared with every configured key in constant time (SHA-256 digests compared with
 *       {@link MessageDigest#isEqual}), so neither a key's content nor its length leaks through
 *       timing. {@code /hooks/*} are guarded by each hook's own {@code auth}.</li>
 *   <li>without keys, every connection that is not from loopback is refused (403 problem),
 *       except health checks ({@code /q/health}), which probes call from outside and which tell
 *       nothing; the start-up log says which mode is on.</li>
 * </ul>
 *
 * It also answers a request whose {@code Content-Length} exceeds
 * {@code quarkus.http.limits.max-body-size} with a 413 problem before its body is read. A chunked
 * body found too large while it streams in is answered by Quarkus' REST layer, which ends the
 * response with a bare 413 itself (WorkflowsTest#chunkedBodyLargerThanTheLimitIsA413).
 */
@ApplicationScoped
public class AccessGuard {

    private static final Logger LOG = Logger.getLogger(AccessGuard.class);
    private static final List<String> PROTECTED = List.of("/workflows", "/runs");

    private final List<byte[]> keyDigests;
    private final Optional<MemorySize> maxBody;
    private final ObjectMapper mapper;

    public AccessGuard(ApiConfig config, ObjectMapper mapper,
                       @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBody) {
        this.keyDigests = config.keys().orElse(List.of()).stream().map(String::strip).filter(key -> !key.isEmpty())
                .map(key -> sha256(key.getBytes(StandardCharsets.UTF_8))).toList();
        this.maxBody = maxBody;
        this.mapper = mapper;
    }

    void onStart(@Observes StartupEvent event) {
        if (keyDigests.isEmpty()) {
            LOG.warn("No API keys are configured (ninetail.api.keys): accepting connections from loopback only"
                    + " (health checks excepted). Configure keys to serve other hosts.");
        } else {
            LOG.infof("%d API key(s) configured: /workflows and /runs require 'Authorization: Bearer <key>';"
                    + " /hooks/* are guarded by each hook's auth", keyDigests.size());
        }
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 100).handler(this::check).failureHandler(this::failed);
    }

    /**
     * A route that fails with 413 (Vert.x's BodyHandler does, for a body found too large while it
     * streamed in) is answered with the problem. The REST resources of this api read bodies
     * through Quarkus' REST layer, which does not fail the route but answers a bare 413 itself.
     */
    private void failed(RoutingContext context) {
        if (context.statusCode() == 413 && !context.response().ended()) {
            refuse(context, tooLarge(null));
            return;
        }
        context.next();
    }

    private void check(RoutingContext context) {
        String path = context.normalizedPath();
        if (keyDigests.isEmpty()) {
            if (!fromLoopback(context.request().remoteAddress()) && !path.startsWith("/q/health")) {
                refuse(context, Problem.of(403, "loopback-only", "Loopback only", "this api has no API keys"
                        + " configured (ninetail.api.keys) and therefore accepts connections from loopback only"));
                return;
            }
        } else if (isProtected(path) && !authorized(context.request().getHeader("Authorization"))) {
            context.response().putHeader("WWW-Authenticate", "Bearer realm=\"ninetail\"");
            refuse(context, Problem.of(401, "unauthorized", "Unauthorized",
                    "this resource needs 'Authorization: Bearer <key>' with one of the api's keys"));
            return;
        }
        if (exceedsLimit(context.request().getHeader("Content-Length"))) {
            refuse(context, tooLarge(context.request().getHeader("Content-Length")));
            return;
        }
        context.next();
    }

    private Problem tooLarge(String contentLength) {
        long max = maxBody.map(MemorySize::asLongValue).orElse(-1L);
        return Problem.of(413, "request-too-large", "Request too large", "the request body is "
                + (contentLength == null ? "larger than" : contentLength + " bytes;") + " this api accepts at most "
                + max + " bytes (quarkus.http.limits.max-body-size)").with("maxBytes", max);
    }

    private static boolean isProtected(String path) {
        return PROTECTED.stream().anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"));
    }

    boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = sha256(header.substring(7).strip().getBytes(StandardCharsets.UTF_8));
        boolean match = false;
        for (byte[] key : keyDigests) {
            match |= MessageDigest.isEqual(presented, key);
        }
        return match;
    }

    private boolean exceedsLimit(String contentLength) {
        if (contentLength == null || maxBody.isEmpty()) {
            return false;
        }
        try {
            return Long.parseLong(contentLength.strip()) > maxBody.get().asLongValue();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static boolean fromLoopback(SocketAddress address) {
        if (address == null || address.hostAddress() == null) {
            return false;
        }
        try {
            return InetAddress.getByName(address.hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private void refuse(RoutingContext context, Problem problem) {
        problem.send(context, mapper);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
