package io.ninetail.response;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The response a caller gets for the block's parameters (publishing is tested through the triggers). */
class ResponseTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Response.Output reply(String withJson) {
        return Response.reply(parameters(withJson));
    }

    private static Response.Parameters parameters(String withJson) {
        try {
            return JSON.readerFor(Response.Parameters.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(withJson);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String refusal(String withJson) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> parameters(withJson));
        return ((ValueInstantiationException) refused.getCause()).getCause().getMessage();
    }

    @Test
    void anObjectBodyIsJsonWithStatus200ByDefault() throws Exception {
        Response.Output output = reply("{\"body\": {\"ok\": true, \"items\": [1, 2]}}");
        assertEquals(200, output.status());
        assertEquals(Map.of("content-type", "application/json"), output.headers());
        assertEquals(JSON.readTree("{\"ok\": true, \"items\": [1, 2]}"), output.body());
    }

    @Test
    void aStringBodyIsText() {
        Response.Output output = reply("{\"status\": 201, \"body\": \"created\"}");
        assertEquals(201, output.status());
        assertEquals("text/plain; charset=utf-8", output.headers().get("content-type"));
        assertEquals("created", output.body().asText());
    }

    @Test
    void listsNumbersAndBooleansAreJson() {
        assertEquals("application/json", reply("{\"body\": [1, 2]}").headers().get("content-type"));
        assertEquals("application/json", reply("{\"body\": 42}").headers().get("content-type"));
        assertEquals("application/json", reply("{\"body\": false}").headers().get("content-type"));
    }

    @Test
    void aContentTypeGivenInHeadersWinsWhateverItsCase() {
        Response.Output output = reply("""
                {"headers": {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"},
                 "body": "<h1>Thanks</h1>"}""");
        assertEquals(Map.of("content-type", "text/html; charset=utf-8", "cache-control", "no-store"), output.headers());
    }

    @Test
    void withoutABodyThereIsNoContentType() {
        Response.Output output = reply("{\"status\": 202, \"headers\": {\"location\": \"/runs/r-1\"}}");
        assertNull(output.body());
        assertEquals(Map.of("location", "/runs/r-1"), output.headers());
        assertNull(reply("{\"body\": null}").body());
    }

    @Test
    void statusesWithoutABodyDropTheDefaultedBody() {
        Response.Output output = reply("{\"status\": 204, \"body\": {\"the need's\": \"output\"}}");
        assertEquals(204, output.status());
        assertNull(output.body());
        assertEquals(Map.of(), output.headers());
        assertNull(reply("{\"status\": 304, \"body\": \"x\"}").body());
    }

    @Test
    void theStatusIsAnHttpStatus() {
        assertEquals("parameter 'status' must be an HTTP status from 100 to 599, was 600", refusal("{\"status\": 600}"));
        assertEquals("parameter 'status' must be an HTTP status from 100 to 599, was 99", refusal("{\"status\": 99}"));
        assertEquals(599, reply("{\"status\": 599}").status());
        assertEquals(100, reply("{\"status\": 100}").status());
    }

    @Test
    void headersTheServerSetsOrThatRepeatAreRefused() {
        assertEquals("parameter 'headers.Content-Length': content-length is set by the server from the body",
                refusal("{\"headers\": {\"Content-Length\": \"5\"}, \"body\": \"hello\"}"));
        assertEquals("parameter 'headers' names 'x-a' twice", refusal("{\"headers\": {\"X-A\": \"1\", \"x-a\": \"2\"}}"));
        assertEquals("parameter 'headers.x-a' must be a non-empty name with a string value",
                refusal("{\"headers\": {\"x-a\": null}}"));
    }
}
