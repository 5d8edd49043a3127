package io.ninetail.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.ninetail.core.event.EventReader;
import io.ninetail.core.event.InvalidEventException;
import io.ninetail.core.event.NatsEventCodec;
import io.ninetail.core.nats.PayloadStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The data of a run's event as JSON, read as {@link EventReader} reads it (from the payload store
 * when the message carries only a {@code ce-dataref}) but without decoding the event's attributes:
 * a webhook reads its run's response event for the data alone, and decoding the whole event, its
 * {@code ce-time} above all, was a measurable part of a call's cost. Nor does it check that the
 * message is a well-formed event: it reads what {@link RunWatcher} routed from the run's own
 * subjects, on which only the scheduler publishes. Blocking (the payload store): worker threads.
 */
@ApplicationScoped
public class EventData {

    private final PayloadStore payloads;
    private final ObjectMapper mapper;

    public EventData(PayloadStore payloads, ObjectMapper mapper) {
        this.payloads = payloads;
        this.mapper = mapper;
    }

    /** The message's data as JSON: null when empty, its text when it is not JSON. */
    public JsonNode of(Message message) {
        return parse(bytes(message));
    }

    private byte[] bytes(Message message) {
        Headers headers = message.getHeaders();
        String reference = headers == null ? null : headers.getFirst(NatsEventCodec.DATA_REF);
        if (reference == null) {
            return message.getData() == null ? new byte[0] : message.getData();
        }
        if (!PayloadStore.isReference(reference)) {
            throw new InvalidEventException("header " + NatsEventCodec.DATA_REF + " is not a payload reference: '"
                    + reference + "'");
        }
        return payloads.get(reference);
    }

    JsonNode parse(byte[] data) {
        try {
            return data.length == 0 ? mapper.nullNode() : mapper.readTree(data);
        } catch (IOException e) {
            return mapper.getNodeFactory().textNode(new String(data, StandardCharsets.UTF_8));
        }
    }
}
