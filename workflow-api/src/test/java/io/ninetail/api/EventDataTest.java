package io.ninetail.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Message;
import io.nats.client.impl.NatsMessage;
import io.ninetail.core.event.Event;
import io.ninetail.core.event.EventReader;
import io.ninetail.core.event.InvalidEventException;
import io.ninetail.core.event.NatsEventCodec;
import io.ninetail.core.nats.EventPublisher;
import io.ninetail.core.nats.Subjects;
import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A webhook's answer is the data of its run's response event, as the scheduler publishes it and
 * the watcher hands it over: read the same as when the whole event was decoded to get it.
 */
@QuarkusTest
@WithTestResource(NatsServerResource.class)
class EventDataTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    EventData eventData;
    @Inject
    EventReader reader;
    @Inject
    EventPublisher publisher;
    @Inject
    RunWatcher watcher;
    @Inject
    ObjectMapper mapper;

    @Test
    void aResponseInTheMessageIsReadAsTheWholeEventWas() throws Exception {
        String response = "{\"status\": 200, \"headers\": {\"x-one\": \"1\"}, \"body\": {\"h1\": \"Café 😀\"}}";

        Message message = published(response);

        assertEquals(mapper.readTree(response), eventData.of(message));
        assertEquals(asTheWholeEventWasRead(message), eventData.of(message));
    }

    @Test
    void aResponseTooLargeForOneMessageIsReadFromThePayloadStore() throws Exception {
        String body = "x".repeat((int) publisher.maxData());
        String response = "{\"status\": 200, \"body\": \"" + body + "\"}";

        Message message = published(response);

        assertNotNull(message.getHeaders().getFirst(NatsEventCodec.DATA_REF), "sent as a reference");
        assertEquals(body, eventData.of(message).get("body").textValue());
        assertEquals(asTheWholeEventWasRead(message), eventData.of(message));
    }

    @Test
    void emptyDataIsNullAndDataThatIsNotJsonIsItsText() throws Exception {
        Message empty = published("");
        Message text = published("not {json");

        assertEquals(mapper.nullNode(), eventData.of(empty));
        assertEquals(asTheWholeEventWasRead(empty), eventData.of(empty));
        assertEquals(mapper.getNodeFactory().textNode("not {json"), eventData.of(text));
        assertEquals(asTheWholeEventWasRead(text), eventData.of(text));
    }

    @Test
    void aDataRefThatIsNoPayloadReferenceIsRefusedAsBefore() {
        String runId = RunIds.next(Instant.now());
        Message message = NatsMessage.builder().subject(Subjects.workflowResponse(runId))
                .headers(NatsEventCodec.headers(response(runId, "")).put(NatsEventCodec.DATA_REF, "http://elsewhere/x"))
                .build();

        InvalidEventException before = assertThrows(InvalidEventException.class, () -> reader.read(message));
        InvalidEventException now = assertThrows(InvalidEventException.class, () -> eventData.of(message));
        assertEquals(before.getMessage(), now.getMessage());
    }

    /** {@code data} published as the scheduler publishes a response, as the watcher hands it to the webhook. */
    private Message published(String data) throws Exception {
        String runId = RunIds.next(Instant.now());
        try (RunWatcher.Watch watch = watcher.open(runId, Awaited.END_OR_RESPONSE)) {
            publisher.publish(Subjects.workflowResponse(runId), response(runId, data))
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return watch.settled().get(WAIT.toSeconds(), TimeUnit.SECONDS).message();
        }
    }

    private static Event response(String runId, String data) {
        return new Event(runId + ".response", "/ninetail/scheduler", "workflow.response",
                OffsetDateTime.now(ZoneOffset.UTC), runId, null, 1, data.getBytes(StandardCharsets.UTF_8));
    }

    /** How HookResource read a response before: the whole event decoded, then its data parsed. */
    private JsonNode asTheWholeEventWasRead(Message message) {
        return eventData.parse(reader.read(message).data());
    }
}
