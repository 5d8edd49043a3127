package io.ninetail.hook;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Base64;

/**
 * A webhook's body as the hook function receives it: the text of a UTF-8 body ({@code body}),
 * or, for any other bytes, those bytes in base64 ({@code bodyBase64}), since a JSON string cannot
 * carry them unchanged. The signature is checked over {@link #bytes()}, exactly what was received.
 *
 * @param utf8Text   the body as sent in {@code body}; null when it came as {@code bodyBase64}
 * @param otherBytes the decoded {@code bodyBase64}; null when the body came as text
 */
record RequestBody(String utf8Text, byte[] otherBytes) {

    static RequestBody of(String body, String bodyBase64) {
        if (bodyBase64 == null) {
            return new RequestBody(body == null ? "" : body, null);
        }
        if (body != null && !body.isEmpty()) {
            throw new IllegalArgumentException("parameters 'body' and 'bodyBase64' exclude each other:"
                    + " a body is sent as text (UTF-8) or as base64 (any other bytes), not both");
        }
        try {
            return new RequestBody(null, Base64.getDecoder().decode(bodyBase64));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parameter 'bodyBase64' is not base64: " + e.getMessage());
        }
    }

    boolean isEmpty() {
        return utf8Text != null ? utf8Text.isEmpty() : otherBytes.length == 0;
    }

    /** The bytes as received. */
    byte[] bytes() {
        return utf8Text != null ? utf8Text.getBytes(StandardCharsets.UTF_8) : otherBytes;
    }

    /**
     * The body as text. Bytes that are not UTF-8 are decoded with the charset the content type
     * names; when it names none, one this JVM does not know, or one the bytes are not valid in,
     * as ISO-8859-1, which maps each byte to one character, so none is lost.
     */
    String text(String contentType) {
        if (utf8Text != null) {
            return utf8Text;
        }
        Charset declared = declaredCharset(contentType);
        if (declared != null) {
            try {
                return declared.newDecoder().decode(ByteBuffer.wrap(otherBytes)).toString();
            } catch (CharacterCodingException notInThatCharset) {
                // falls back to ISO-8859-1 below
            }
        }
        return new String(otherBytes, StandardCharsets.ISO_8859_1);
    }

    private static Charset declaredCharset(String contentType) {
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String[] pair = parts[i].split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
                String name = pair[1].replace("\"", "").trim();
                try {
                    return Charset.forName(name);
                } catch (IllegalCharsetNameException | UnsupportedCharsetException unknown) {
                    return null;
                }
            }
        }
        return null;
    }
}
