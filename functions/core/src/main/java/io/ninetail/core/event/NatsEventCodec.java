package io.ninetail.core.event;

import io.nats.client.impl.Headers;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The CloudEvents NATS binding in binary mode: attributes travel as {@code ce-*} headers, the
 * data as the payload, and {@code Nats-Msg-Id} repeats {@code ce-id} so that JetStream drops
 * a republished event inside the stream's duplicate window.
 */
public final class NatsEventCodec {

    public static final String SPEC_VERSION = "ce-specversion";
    public static final String ID = "ce-id";
    public static final String SOURCE = "ce-source";
    public static final String TYPE = "ce-type";
    public static final String TIME = "ce-time";
    public static final String RUN_ID = "ce-runid";
    public static final String BLOCK_ID = "ce-blockid";
    public static final String ATTEMPT = "ce-attempt";
    public static final String CONTENT_TYPE = "content-type";
    public static final String MSG_ID = "Nats-Msg-Id";
    /** CloudEvents' dataref extension: the data is elsewhere (see PayloadStore). */
    public static final String DATA_REF = "ce-dataref";

    private NatsEventCodec() {
    }

    public static Headers headers(Event event) {
        Headers headers = new Headers()
                .put(SPEC_VERSION, Event.SPEC_VERSION)
                .put(ID, event.id())
                .put(SOURCE, event.source())
                .put(TYPE, event.type())
                .put(TIME, event.time().toString())
                .put(CONTENT_TYPE, Event.CONTENT_TYPE)
                .put(RUN_ID, event.runId())
                .put(ATTEMPT, Integer.toString(event.attempt()))
                .put(MSG_ID, event.id());
        if (event.blockId() != null) {
            headers.put(BLOCK_ID, event.blockId());
        }
        return headers;
    }

    public static Event decode(Headers headers, byte[] payload) {
        return decode(headers == null ? name -> null : headers::getFirst, payload);
    }

    /** For transports that hand over headers as a map (the messaging connector does). */
    public static Event decode(Map<String, List<String>> headers, byte[] payload) {
        return decode(name -> first(headers, name), payload);
    }

    private static Event decode(Function<String, String> header, byte[] payload) {
        String specVersion = header.apply(SPEC_VERSION);
        if (!Event.SPEC_VERSION.equals(specVersion)) {
            throw new InvalidEventException("header " + SPEC_VERSION + " must be '1.0', was "
                    + (specVersion == null ? "missing" : "'" + specVersion + "'"));
        }
        return new Event(
                required(header, ID),
                required(header, SOURCE),
                required(header, TYPE),
                time(header.apply(TIME)),
                required(header, RUN_ID),
                header.apply(BLOCK_ID),
                attempt(header.apply(ATTEMPT)),
                payload == null ? new byte[0] : payload);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        if (headers == null) {
            return null;
        }
        List<String> values = headers.get(name);
        if (values == null) {
            // NATS header names are case-insensitive on the wire; maps may not preserve case.
            values = headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String required(Function<String, String> header, String name) {
        String value = header.apply(name);
        if (value == null || value.isBlank()) {
            throw new InvalidEventException("header " + name + " is missing");
        }
        return value;
    }

    /** {@code time} is optional in CloudEvents 1.0; an event without one happened now. */
    static OffsetDateTime time(String value) {
        if (value == null || value.isBlank()) {
            return OffsetDateTime.now(ZoneOffset.UTC);
        }
        OffsetDateTime written = utc(value);
        if (written != null) {
            return written;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("header " + TIME + " is not an RFC 3339 time: '" + value + "'");
        }
    }

    private static final int[] NANOS_PER_DIGIT = {100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    /**
     * The time as every Ninetail component writes it ({@code OffsetDateTime.toString()} in UTC:
     * {@code 2026-11-25T10:00Z}, {@code …T10:00:05Z}, {@code …T10:00:05.123456Z}), read without
     * java.time's general parser, which took a twentieth of a small block's CPU on every event.
     * Null for any other shape, which that parser then reads (or rejects).
     */
    static OffsetDateTime utc(String value) {
        int end = value.length() - 1;
        if (end < 16 || value.charAt(end) != 'Z' || value.charAt(4) != '-' || value.charAt(7) != '-'
                || value.charAt(10) != 'T' || value.charAt(13) != ':') {
            return null;
        }
        int second = 0;
        int nano = 0;
        if (end > 16) {
            if (end < 19 || value.charAt(16) != ':') {
                return null;
            }
            second = digits(value, 17, 19);
            if (end > 19) {
                int fraction = end - 20;
                if (value.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                    return null;
                }
                int digits = digits(value, 20, end);
                nano = digits < 0 ? -1 : digits * NANOS_PER_DIGIT[fraction - 1];
            }
        }
        int year = digits(value, 0, 4);
        int month = digits(value, 5, 7);
        int day = digits(value, 8, 10);
        int hour = digits(value, 11, 13);
        int minute = digits(value, 14, 16);
        if ((year | month | day | hour | minute | second | nano) < 0) {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, nano, ZoneOffset.UTC);
        } catch (DateTimeException outOfRange) {
            return null;
        }
    }

    /** The decimal number in {@code value[from, to)}, or -1 when a character is not an ASCII digit. */
    private static int digits(String value, int from, int to) {
        int number = 0;
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            number = number * 10 + (c - '0');
        }
        return number;
    }

    static int attempt(String value) {
        if (value == null) {
            return 1;
        }
        try {
            int attempt = Integer.parseInt(value.trim());
            if (attempt >= 1) {
                return attempt;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidEventException("header " + ATTEMPT + " must be a positive integer, was '" + value + "'");
    }
}
