package io.ninetail.fetch;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** URLs as fetch sends them: lenient reading, {@code query} merged in with proper encoding, redirects resolved. */
final class Urls {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** scheme://, userinfo@, host, and the rest (port, path, query, fragment). */
    private static final Pattern AUTHORITY = Pattern.compile("(?i)(https?://)([^/?#@]*@)?([^/?#:\\[\\]]+)(.*)", Pattern.DOTALL);

    private Urls() {
    }

    /**
     * An absolute http(s) URL, read leniently: characters a URI may not hold (spaces, non-ASCII
     * letters, quotes…) are percent-encoded as a browser does, existing {@code %xx} escapes are
     * kept, and the fragment, which is never sent, is dropped.
     *
     * @throws IllegalArgumentException when the text is not an absolute http(s) URL
     */
    static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(lenient(asciiHost(url.strip())));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("not an absolute http(s) URL");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return URI.create(scheme + "://" + uri.getRawAuthority() + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    /**
     * {@code url} with {@code query} appended to the query it already has: each name once per
     * value, in the order given; a list repeats the name ({@code tag=a&tag=b}); a null value or
     * list element is left out. Names and values are percent-encoded (RFC 3986: everything but
     * {@code A-Z a-z 0-9 - . _ ~}), so {@code &}, {@code =}, {@code +}, spaces and non-ASCII text
     * arrive as written.
     */
    static URI withQuery(URI url, Map<String, JsonNode> query) {
        if (query.isEmpty()) {
            return url;
        }
        StringBuilder added = new StringBuilder();
        query.forEach((name, value) -> {
            if (value == null || value.isNull()) {
                return;
            }
            for (JsonNode item : value.isArray() ? value : java.util.List.of(value)) {
                if (item.isNull()) {
                    continue;
                }
                added.append(added.isEmpty() ? "" : "&").append(encode(name)).append('=').append(encode(item.asText()));
            }
        });
        if (added.isEmpty()) {
            return url;
        }
        String existing = url.getRawQuery();
        String merged = existing == null || existing.isEmpty() ? added.toString() : existing + "&" + added;
        return URI.create(url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath() + "?" + merged);
    }

    /** Checks one {@code query} entry: a scalar, or a list of scalars. */
    static void checkQueryValue(String name, JsonNode value) {
        if (value == null || value.isNull() || value.isValueNode()) {
            return;
        }
        if (value.isArray()) {
            for (JsonNode item : value) {
                if (!item.isValueNode()) {
                    throw badQueryValue(name);
                }
            }
            return;
        }
        throw badQueryValue(name);
    }

    private static IllegalArgumentException badQueryValue(String name) {
        return new IllegalArgumentException("parameter 'query." + name
                + "' must be a string, number or boolean, or a list of them");
    }

    /**
     * Where a redirect's {@code Location} points, resolved against the URL that answered.
     *
     * @throws IllegalArgumentException when it is not an http(s) URL
     */
    static URI redirect(URI from, String location) {
        try {
            return parse(from.resolve(new URI(lenient(location.strip()))).toString());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage());
        }
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    static int port(URI url) {
        return url.getPort() != -1 ? url.getPort() : url.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** The host as DNS knows it: no IPv6 brackets, no trailing dot, lower case. */
    static String hostName(URI url) {
        String host = url.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.toLowerCase(Locale.ROOT);
    }

    /** Path and query, as they go on the request line. */
    static String requestTarget(URI url) {
        return url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    }

    static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /** An internationalised host name in its DNS form ({@code bücher.example → xn--bcher-kva.example}). */
    static String asciiHost(String url) {
        Matcher parts = AUTHORITY.matcher(url);
        if (!parts.matches() || parts.group(3).chars().allMatch(c -> c < 0x80)) {
            return url;
        }
        try {
            return parts.group(1) + (parts.group(2) == null ? "" : parts.group(2)) + IDN.toASCII(parts.group(3)) + parts.group(4);
        } catch (IllegalArgumentException notAHostName) {
            return url;
        }
    }

    /** Percent-encodes what may not stand in a URI as written; leaves everything else, escapes included. */
    static String lenient(String url) {
        StringBuilder out = null;
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            boolean illegal = c <= 0x20 || c >= 0x7f || "\"<>\\^`{|}".indexOf(c) >= 0;
            if (illegal && out == null) {
                out = new StringBuilder(url.length() + 16).append(url, 0, i);
            }
            if (out != null) {
                if (illegal) {
                    int end = Character.isHighSurrogate(c) && i + 1 < url.length() ? i + 2 : i + 1;
                    for (byte b : url.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                        out.append('%').append(HEX[(b & 0xff) >> 4]).append(HEX[b & 0xf]);
                    }
                    i = end - 1;
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? url : out.toString();
    }
}
