package io.ninetail.fetch;

import io.netty.channel.ConnectTimeoutException;
import io.ninetail.core.block.BlockFailure;
import io.vertx.core.http.HttpClosedException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The fetch error codes, and which transport failures map to which. Every message starts with
 * the request it is about, e.g. {@code GET https://example.com/: …}; after redirects, that is the
 * hop that failed.
 */
final class FetchErrors {

    static final String CONNECT = "CONNECT";
    static final String TIMEOUT = "TIMEOUT";
    static final String DNS = "DNS";
    static final String TLS = "TLS";
    static final String STATUS = "STATUS";
    static final String BODY_TOO_LARGE = "BODY_TOO_LARGE";
    static final String BLOCKED_TARGET = TargetGuard.BLOCKED_TARGET;
    static final String REDIRECT = "REDIRECT";

    private FetchErrors() {
    }

    /** A failure of the exchange with {@code target} ({@code "GET http://…"}). */
    static BlockFailure of(Throwable failure, String target, Fetch.Parameters request) {
        if (failure instanceof BlockFailure known) {
            return known;
        }
        Throwable cause = rootCause(failure);
        if (cause instanceof UnknownHostException) {
            return BlockFailure.permanent(DNS, target + ": host not found (" + cause.getMessage() + ")");
        }
        if (cause instanceof SSLException || hasCause(failure, SSLException.class)) {
            return BlockFailure.permanent(TLS, target + ": TLS failed: " + describe(cause));
        }
        if (cause instanceof ConnectTimeoutException || cause instanceof TimeoutException
                || failure.getClass().getSimpleName().contains("Timeout")) {
            return timeout(target, request);
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
                || cause instanceof HttpClosedException || cause instanceof java.io.IOException) {
            return BlockFailure.retryable(CONNECT, target + ": " + describe(cause));
        }
        return BlockFailure.retryable(CONNECT, target + ": " + describe(cause));
    }

    static BlockFailure timeout(String target, Fetch.Parameters request) {
        return BlockFailure.of(TIMEOUT, target + ": no complete answer within " + request.timeout(), true,
                Map.of("timeoutMs", request.timeout().toMillis()));
    }

    static BlockFailure tooLarge(String target, Fetch.Parameters request, long bytes) {
        return BlockFailure.of(BODY_TOO_LARGE, target + ": the response body exceeds "
                + request.maxBodyBytes() + " bytes (maxBodyBytes)", false,
                Map.of("maxBodyBytes", request.maxBodyBytes(), "receivedBytes", bytes));
    }

    /**
     * A status of 400 or more while {@code failOnStatus}. Retryable for 429 and 5xx; a
     * {@code Retry-After} (seconds or HTTP date) becomes {@code details.retryAfterMs}, the least
     * delay before the next attempt.
     */
    static BlockFailure status(String target, int status, String excerpt, String retryAfter, Instant now) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", status);
        details.put("body", excerpt);
        Long retryAfterMs = retryAfterMs(retryAfter, now);
        if (retryAfterMs != null) {
            details.put("retryAfterMs", retryAfterMs);
        }
        boolean retryable = status == 429 || status >= 500;
        return BlockFailure.of(STATUS, target + " answered " + status, retryable, details);
    }

    static BlockFailure redirect(String target, String problem, int redirects) {
        return BlockFailure.of(REDIRECT, target + ": " + problem, false, Map.of("redirects", redirects));
    }

    /** {@code Retry-After} as a delay: delta-seconds, or an HTTP date (a date past gives 0); null when absent or unreadable. */
    static Long retryAfterMs(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? null : Math.multiplyExact(seconds, 1000L);
        } catch (NumberFormatException | ArithmeticException notSeconds) {
            // an HTTP date, perhaps
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Math.max(0, Duration.between(now, at).toMillis());
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String describe(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
