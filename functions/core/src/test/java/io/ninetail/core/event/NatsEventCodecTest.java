package io.ninetail.core.event;

import io.nats.client.impl.Headers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NatsEventCodecTest {

    private static final Event EVENT = new Event("e1", "/ninetail/scheduler", "block.fetch.input",
            OffsetDateTime.parse("2026-11-25T10:00:00Z"), "r1", "page", 2,
            "{\"url\":\"http://x\"}".getBytes(StandardCharsets.UTF_8));

    @Test
    void binaryModeCarriesAttributesAsCeHeadersAndIdAsNatsMsgId() {
        Headers headers = NatsEventCodec.headers(EVENT);
        assertEquals("1.0", headers.getFirst("ce-specversion"));
        assertEquals("e1", headers.getFirst("ce-id"));
        assertEquals("/ninetail/scheduler", headers.getFirst("ce-source"));
        assertEquals("block.fetch.input", headers.getFirst("ce-type"));
        assertEquals("2026-11-25T10:00Z", headers.getFirst("ce-time"));
        assertEquals("application/json", headers.getFirst("content-type"));
        assertEquals("r1", headers.getFirst("ce-runid"));
        assertEquals("page", headers.getFirst("ce-blockid"));
        assertEquals("2", headers.getFirst("ce-attempt"));
        assertEquals("e1", headers.getFirst("Nats-Msg-Id"));
    }

    @Test
    void decodingTheHeadersGivesTheEventBack() {
        Event decoded = NatsEventCodec.decode(NatsEventCodec.headers(EVENT), EVENT.data());
        assertEquals(EVENT.id(), decoded.id());
        assertEquals(EVENT.type(), decoded.type());
        assertEquals(EVENT.time().toInstant(), decoded.time().toInstant());
        assertEquals(EVENT.runId(), decoded.runId());
        assertEquals(EVENT.blockId(), decoded.blockId());
        assertEquals(EVENT.attempt(), decoded.attempt());
        assertArrayEquals(EVENT.data(), decoded.data());
    }

    @Test
    void runLevelEventsHaveNoBlockId() {
        Event start = new Event("s1", "/ninetail/api", "workflow.start", OffsetDateTime.now(), "r1", null, 1, new byte[0]);
        assertNull(NatsEventCodec.headers(start).getFirst("ce-blockid"));
        assertNull(NatsEventCodec.decode(NatsEventCodec.headers(start), new byte[0]).blockId());
    }

    @Test
    void headerMapsAreReadCaseInsensitively() {
        Map<String, List<String>> headers = Map.of("CE-SPECVERSION", List.of("1.0"), "Ce-Id", List.of("e2"),
                "ce-source", List.of("/x"), "ce-type", List.of("block.fetch.input"), "ce-runid", List.of("r9"));
        Event decoded = NatsEventCodec.decode(headers, new byte[0]);
        assertEquals("e2", decoded.id());
        assertEquals(1, decoded.attempt(), "attempt defaults to 1");
    }

    @Test
    void missingOrBadAttributesAreNamed() {
        Headers noId = NatsEventCodec.headers(EVENT);
        noId.remove("ce-id");
        assertEquals("header ce-id is missing",
                assertThrows(InvalidEventException.class, () -> NatsEventCodec.decode(noId, new byte[0])).getMessage());

        Headers badAttempt = NatsEventCodec.headers(EVENT).put("ce-attempt", "zero");
        assertEquals("header ce-attempt must be a positive integer, was 'zero'",
                assertThrows(InvalidEventException.class, () -> NatsEventCodec.decode(badAttempt, new byte[0])).getMessage());

        Headers badTime = NatsEventCodec.headers(EVENT).put("ce-time", "yesterday");
        assertEquals("header ce-time is not an RFC 3339 time: 'yesterday'",
                assertThrows(InvalidEventException.class, () -> NatsEventCodec.decode(badTime, new byte[0])).getMessage());

        assertEquals("header ce-specversion must be '1.0', was missing",
                assertThrows(InvalidEventException.class, () -> NatsEventCodec.decode(new Headers(), new byte[0])).getMessage());
    }

    /** The quick reading of the times Ninetail writes agrees with java.time's parser on everything. */
    @Test
    void timesAreReadAsJavaTimeReadsThem() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 20_000; i++) {
            java.time.Instant instant = java.time.Instant.ofEpochSecond(random.nextInt(2_000_000_000),
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1000;
                        default -> random.nextInt(1_000_000_000);
                    });
            OffsetDateTime written = OffsetDateTime.ofInstant(i % 8 == 0 ? instant.truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                    : instant, java.time.ZoneOffset.UTC);
            String text = written.toString();
            assertEquals(written, NatsEventCodec.utc(text), text);
            assertEquals(OffsetDateTime.parse(text), NatsEventCodec.time(text), text);
        }
        for (String text : List.of("2026-11-25T10:00Z", "2026-11-25T10:00:05Z", "2026-11-25T10:00:05.1Z",
                "2026-11-25T10:00:05.123456789Z", "2024-02-29T23:59:59.999Z", "2026-11-25T10:00:05+02:00",
                "2026-11-25T10:00:05.000+00:00", "+12026-11-25T10:00:05Z", "2026-11-25t10:00:05z",
                "2026-11-25T24:00Z", "2026-13-25T10:00Z", "2025-02-29T10:00Z", "2026-11-25T10:00:60Z",
                "2026-11-25T10:00:05.Z", "2026-11-25T10:00:05.1234567890Z", "2026-11-25T10:00:5Z", "2026-11-25T10:0Z",
                "2026-11-25 10:00:05Z", "2026-1a-25T10:00Z", "2026-11-25T10:00:0xZ", "2026-11-25T10:00:05.12a4Z",
                "2026-11-25T10:00:05.-1Z", "Z", "2026-11-25T10:00")) {
            assertEquals(javaTime(text), ours(text), text);
        }
    }

    private static String javaTime(String text) {
        try {
            return OffsetDateTime.parse(text).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return "rejected";
        }
    }

    private static String ours(String text) {
        try {
            return NatsEventCodec.time(text).toString();
        } catch (InvalidEventException e) {
            return "rejected";
        }
    }
}
