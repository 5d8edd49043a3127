package io.ninetail.core.event;

import io.nats.client.impl.Headers;

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
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("header " + TIME + " is not an RFC 3339 time: '" + value + "'");
        }
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
