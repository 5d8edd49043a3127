package io.ninetail.fetch;

import io.ninetail.core.block.BlockFailure;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/** The fetch error codes, and which transport failures map to which. */
final class FetchErrors {

    static final String CONNECT = "CONNECT";
    static final String TIMEOUT = "TIMEOUT";
    static final String DNS = "DNS";
    static final String TLS = "TLS";
    static final String STATUS = "STATUS";
    static final String BODY_TOO_LARGE = "BODY_TOO_LARGE";

    private FetchErrors() {
    }

    static BlockFailure of(Throwable failure, Fetch.Parameters request) {
        if (failure instanceof BlockFailure known) {
            return known;
        }
        String target = request.method() + " " + request.url();
        Throwable cause = rootCause(failure);
        if (cause instanceof UnknownHostException) {
            return BlockFailure.permanent(DNS, target + ": host not found (" + cause.getMessage() + ")");
        }
        if (cause instanceof SSLException) {
            return BlockFailure.permanent(TLS, target + ": TLS failed: " + cause.getMessage());
        }
        if (cause instanceof ConnectTimeoutException || cause instanceof TimeoutException) {
            return timeout(request);
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
                || cause instanceof HttpClosedException || cause instanceof java.io.IOException) {
            return BlockFailure.retryable(CONNECT, target + ": " + describe(cause));
        }
        if (failure.getClass().getSimpleName().contains("Timeout")) {
            return timeout(request);
        }
        return BlockFailure.retryable(CONNECT, target + ": " + describe(cause));
    }

    static BlockFailure timeout(Fetch.Parameters request) {
        return BlockFailure.of(TIMEOUT, request.method() + " " + request.url() + ": no complete answer within "
                + request.timeout(), true, Map.of("timeoutMs", request.timeout().toMillis()));
    }

    static BlockFailure tooLarge(Fetch.Parameters request, long bytes) {
        return BlockFailure.of(BODY_TOO_LARGE, request.method() + " " + request.url() + ": the response body exceeds "
                + request.maxBodyBytes() + " bytes (maxBodyBytes)", false,
                Map.of("maxBodyBytes", request.maxBodyBytes(), "receivedBytes", bytes));
    }

    static BlockFailure status(Fetch.Parameters request, int status, String excerpt, String retryAfter) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", status);
        details.put("body", excerpt);
        Long retryAfterMs = retryAfterMs(retryAfter);
        if (retryAfterMs != null) {
            details.put("retryAfterMs", retryAfterMs);
        }
        boolean retryable = status == 429 || status >= 500;
        return BlockFailure.of(STATUS, request.method() + " " + request.url() + " answered " + status,
                retryable, details);
    }

    /** Retry-After in seconds (the HTTP-date form is left to a later change). */
    private static Long retryAfterMs(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim()) * 1000;
        } catch (NumberFormatException e) {
            return null;
        }
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
