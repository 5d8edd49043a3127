package io.ninetail.fetch;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A response body as text, in the charset a browser would pick: a byte-order mark first, then
 * the {@code charset} of the {@code Content-Type} header, then, for HTML only, a
 * {@code <meta charset>} or {@code <meta http-equiv="Content-Type">} in the first 1024 bytes;
 * UTF-8 when nothing says otherwise. As in browsers (WHATWG Encoding), the labels
 * {@code iso-8859-1}, {@code latin1}, {@code us-ascii} and {@code ascii} mean windows-1252, whose
 * extra characters (€, „, “, …) servers send under those names; an unknown label means UTF-8.
 */
final class BodyText {

    /** How far into an HTML document a {@code <meta>} charset counts (the HTML prescan's limit). */
    static final int META_PRESCAN_BYTES = 1024;

    private static final Pattern META_CHARSET = Pattern.compile(
            "<meta\\s[^>]*?charset\\s*=\\s*[\"']?\\s*([A-Za-z0-9_.:\\-]+)", Pattern.CASE_INSENSITIVE);
    private static final Set<String> WINDOWS_1252_LABELS = Set.of("iso-8859-1", "iso8859-1", "latin1", "l1",
            "us-ascii", "ascii", "iso_8859-1", "cp819", "ibm819");
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private BodyText() {
    }

    static String decode(byte[] bytes, String contentType) {
        int bom = bomLength(bytes);
        return new String(bytes, bom, bytes.length - bom, charset(bytes, contentType));
    }

    static Charset charset(byte[] bytes, String contentType) {
        Charset fromBom = bomCharset(bytes);
        if (fromBom != null) {
            return fromBom;
        }
        String declared = parameter(contentType, "charset");
        if (declared != null) {
            return forLabel(declared);
        }
        if (isHtml(contentType)) {
            String head = new String(bytes, 0, Math.min(bytes.length, META_PRESCAN_BYTES), StandardCharsets.ISO_8859_1);
            Matcher meta = META_CHARSET.matcher(head);
            if (meta.find()) {
                Charset charset = forLabel(meta.group(1));
                // A document that is readable as ASCII cannot really be UTF-16 (HTML spec).
                return charset.name().startsWith("UTF-16") ? StandardCharsets.UTF_8 : charset;
            }
        }
        return StandardCharsets.UTF_8;
    }

    static boolean isHtml(String contentType) {
        String mediaType = mediaType(contentType);
        return mediaType.equals("text/html") || mediaType.equals("application/xhtml+xml");
    }

    static boolean isJson(String contentType) {
        String mediaType = mediaType(contentType);
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    private static String parameter(String contentType, String name) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String[] pair = parts[i].trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase(name)) {
                String value = pair[1].trim().replace("\"", "").trim();
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    private static Charset forLabel(String label) {
        String normalised = label.trim().toLowerCase(Locale.ROOT);
        if (WINDOWS_1252_LABELS.contains(normalised)) {
            return WINDOWS_1252;
        }
        try {
            return Charset.forName(normalised);
        } catch (IllegalArgumentException unknown) {
            return StandardCharsets.UTF_8;
        }
    }

    private static Charset bomCharset(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) {
            return StandardCharsets.UTF_8;
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
            return StandardCharsets.UTF_16BE;
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
            return StandardCharsets.UTF_16LE;
        }
        return null;
    }

    private static int bomLength(byte[] bytes) {
        Charset bom = bomCharset(bytes);
        return bom == null ? 0 : bom == StandardCharsets.UTF_8 ? 3 : 2;
    }
}
