package io.ninetail.fetch;

import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BodyTextTest {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    @Test
    void theContentTypeCharsetIsHonoured() {
        assertEquals("café", BodyText.decode("café".getBytes(WINDOWS_1252), "text/plain; charset=windows-1252"));
        assertEquals("日本語", BodyText.decode("日本語".getBytes(Charset.forName("Shift_JIS")),
                "text/html; charset=\"Shift_JIS\""));
    }

    @Test
    void withoutACharsetTextIsUtf8() {
        assertEquals("café", BodyText.decode("café".getBytes(StandardCharsets.UTF_8), "text/plain"));
        assertEquals("café", BodyText.decode("café".getBytes(StandardCharsets.UTF_8), ""));
    }

    @Test
    void htmlWithoutAHeaderCharsetHonoursItsMetaCharset() {
        byte[] page = "<html><head><meta charset=\"windows-1252\"><title>Café</title>".getBytes(WINDOWS_1252);
        assertEquals(WINDOWS_1252, BodyText.charset(page, "text/html"));
        byte[] httpEquiv = "<html><head><META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=iso-8859-15'>"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(Charset.forName("ISO-8859-15"), BodyText.charset(httpEquiv, "text/html"));
    }

    @Test
    void theHeaderCharsetWinsOverTheMetaCharset() {
        byte[] page = "<meta charset=\"windows-1252\"><p>café</p>".getBytes(StandardCharsets.UTF_8);
        assertEquals(StandardCharsets.UTF_8, BodyText.charset(page, "text/html; charset=utf-8"));
    }

    @Test
    void aMetaCharsetCountsOnlyInTheFirst1024BytesAndOnlyForHtml() {
        String late = "<!--" + "x".repeat(BodyText.META_PRESCAN_BYTES) + "--><meta charset=\"windows-1252\">";
        assertEquals(StandardCharsets.UTF_8, BodyText.charset(late.getBytes(StandardCharsets.US_ASCII), "text/html"));
        assertEquals(StandardCharsets.UTF_8, BodyText.charset(
                "<meta charset=\"windows-1252\">".getBytes(StandardCharsets.US_ASCII), "text/plain"));
    }

    @Test
    void aByteOrderMarkWinsAndIsNotPartOfTheText() {
        byte[] withBom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'h', 'i'};
        assertEquals("hi", BodyText.decode(withBom, "text/plain; charset=iso-8859-1"));
        byte[] utf16 = {(byte) 0xfe, (byte) 0xff, 0, 'o', 0, 'k'};
        assertEquals("ok", BodyText.decode(utf16, "text/html"));
    }

    @Test
    void latin1LabelsMeanWindows1252AsInBrowsers() {
        byte[] euro = {'5', (byte) 0x80};
        assertEquals("5€", BodyText.decode(euro, "text/plain; charset=ISO-8859-1"));
        assertEquals("5€", BodyText.decode(euro, "text/plain; charset=us-ascii"));
    }

    @Test
    void anUnknownCharsetFallsBackToUtf8() {
        assertEquals("café", BodyText.decode("café".getBytes(StandardCharsets.UTF_8), "text/plain; charset=x-martian"));
    }
}
