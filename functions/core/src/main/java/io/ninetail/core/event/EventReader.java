package io.ninetail.core.event;

import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.ninetail.core.nats.PayloadStore;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads a Ninetail event off a NATS message, fetching its data from the payload store when the
 * message carries only a {@code ce-dataref} (the sender found it too large for one message).
 * May block on that fetch: call it on a worker thread.
 */
@ApplicationScoped
public class EventReader {

    private final PayloadStore payloads;

    public EventReader(PayloadStore payloads) {
        this.payloads = payloads;
    }

    public Event read(Message message) {
        Event event = NatsEventCodec.decode(message.getHeaders(), message.getData());
        String reference = dataReference(message.getHeaders());
        if (reference == null) {
            return event;
        }
        return new Event(event.id(), event.source(), event.type(), event.time(), event.runId(), event.blockId(),
                event.attempt(), payloads.get(reference));
    }

    /**
     * The event's data alone, as {@link #read} would give it, without decoding its attributes: for
     * a reader that needs nothing else (parsing {@code ce-time} alone is a measurable cost per event).
     */
    public byte[] data(Message message) {
        String reference = dataReference(message.getHeaders());
        if (reference != null) {
            return payloads.get(reference);
        }
        return message.getData() == null ? new byte[0] : message.getData();
    }

    /** The payload-store reference an event's headers carry instead of its data, or null when it carries its data. */
    public static String dataReference(Headers headers) {
        String reference = headers == null ? null : headers.getFirst(NatsEventCodec.DATA_REF);
        if (reference != null && !PayloadStore.isReference(reference)) {
            throw new InvalidEventException("header " + NatsEventCodec.DATA_REF + " is not a payload reference: '"
                    + reference + "'");
        }
        return reference;
    }
}
