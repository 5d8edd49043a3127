package io.ninetail.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Message;
import io.ninetail.core.event.EventReader;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The data of a run's event as JSON ({@link EventReader#data}: from the payload store when the
 * message carries only a {@code ce-dataref}), without decoding the event's attributes: a webhook
 * reads its run's response event for the data alone, and decoding the whole event, its
 * {@code ce-time} above all, was a measurable part of a call's cost. Nor does it check that the
 * message is a well-formed event: it reads what {@link RunWatcher} routed from the run's own
 * subjects, on which only the scheduler publishes. Blocking (the payload store): worker threads.
 */
@ApplicationScoped
public class EventData {

    private final EventReader reader;
    private final ObjectMapper mapper;

    public EventData(EventReader reader, ObjectMapper mapper) {
        this.reader = reader;
        this.mapper = mapper;
    }

    /** The message's data as JSON: null when empty, its text when it is not JSON. */
    public JsonNode of(Message message) {
        return parse(reader.data(message));
    }

    JsonNode parse(byte[] data) {
        try {
            return data.length == 0 ? mapper.nullNode() : mapper.readTree(data);
        } catch (IOException e) {
            return mapper.getNodeFactory().textNode(new String(data, StandardCharsets.UTF_8));
        }
    }
}
