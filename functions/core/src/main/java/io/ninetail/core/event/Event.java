package io.ninetail.core.event;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One CloudEvent 1.0 as Ninetail sends it on every transport (DESIGN §2).
 *
 * <p>{@code runId}, {@code blockId} and {@code attempt} are the extension attributes
 * {@code runid}, {@code blockid} and {@code attempt}; {@code blockId} is null for run-level
 * events. {@code data} is the JSON payload as bytes so that it is parsed once, straight into
 * the type that needs it; it is never mutated after construction.
 *
 * @param id       unique per event; also the JetStream {@code Nats-Msg-Id}
 * @param source   URI reference of the producer, e.g. {@code /ninetail/functions/fetch}
 * @param type     the subject with the ids taken out, e.g. {@code block.fetch.output}
 */
public record Event(String id, String source, String type, OffsetDateTime time,
                    String runId, String blockId, int attempt, byte[] data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(data, "data");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
    }
}
