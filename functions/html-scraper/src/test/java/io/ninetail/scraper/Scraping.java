package io.ninetail.scraper;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Runs the block the way the triggers do, minus the transport: parameters are read from JSON
 * into the record (unknown keys rejected, as BlockRunner does) and the output is written back
 * to JSON.
 */
final class Scraping {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HtmlScraper SCRAPER = new HtmlScraper();

    private Scraping() {
    }

    /** The block's output for a page, a base URL (may be null) and an {@code extract} written as JSON. */
    static JsonNode scrape(String html, String baseUrl, String extractJson) {
        return JSON.valueToTree(SCRAPER.scrape(parameters(html, baseUrl, extractJson)));
    }

    static HtmlScraper.Parameters parameters(String html, String baseUrl, String extractJson) {
        return read(with(html, baseUrl, extractJson));
    }

    /** The parameters JSON a workflow would send: {@code {"html": …, "baseUrl": …, "extract": …}}. */
    static ObjectNode with(String html, String baseUrl, String extractJson) {
        ObjectNode with = JSON.createObjectNode().put("html", html);
        if (baseUrl != null) {
            with.put("baseUrl", baseUrl);
        }
        try {
            with.set("extract", JSON.readTree(extractJson));
        } catch (IOException e) {
            throw new IllegalArgumentException("test extract is not JSON: " + extractJson, e);
        }
        return with;
    }

    static HtmlScraper.Parameters read(JsonNode with) {
        try {
            return JSON.readerFor(HtmlScraper.Parameters.class)
                    .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(with);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The message a workflow author gets for parameters the block refuses. */
    static String refusal(String parametersJson) {
        try {
            read(JSON.readTree(parametersJson));
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof ValueInstantiationException invalid && invalid.getCause() != null) {
                return invalid.getCause().getMessage();
            }
            return e.getCause().getMessage();
        } catch (IOException e) {
            throw new IllegalArgumentException("test parameters are not JSON: " + parametersJson, e);
        }
        throw new AssertionError("parameters were accepted: " + parametersJson);
    }

    static String page(String name) {
        return new String(pageBytes(name), StandardCharsets.UTF_8);
    }

    static String page(String name, Charset charset) {
        return new String(pageBytes(name), charset);
    }

    static byte[] pageBytes(String name) {
        try (InputStream in = Scraping.class.getResourceAsStream("/pages/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test page " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
