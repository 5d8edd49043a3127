package io.ninetail.response;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.api.PublishAck;
import io.ninetail.core.block.BlockContext;
import io.ninetail.core.block.BlockError;
import io.ninetail.core.block.BlockFailure;
import io.ninetail.core.event.Event;
import io.ninetail.core.nats.EventPublisher;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the block depends on the stream's acknowledgement, with a publisher the test controls. */
class ResponsePublishingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BlockContext CONTEXT = new BlockContext("run-7", "reply", 2, "in-1");

    /** Records what is published and leaves the acknowledgement to the test. */
    private static final class HeldPublisher extends EventPublisher {
        final List<String> subjects = new ArrayList<>();
        final List<Event> events = new ArrayList<>();
        final CompletableFuture<PublishAck> ack = new CompletableFuture<>();
        long maxData = 1024 * 1024;

        HeldPublisher() {
            super(null, null);
        }

        @Override
        public CompletableFuture<PublishAck> publish(String subject, Event event) {
            subjects.add(subject);
            events.add(event);
            return ack;
        }

        @Override
        public long maxData() {
            return maxData;
        }
    }

    private static Response.Parameters parameters(String json) throws IOException {
        return JSON.readValue(json, Response.Parameters.class);
    }

    @Test
    void theBlockCompletesOnlyOnceTheStreamHasStoredTheResponse() throws Exception {
        HeldPublisher publisher = new HeldPublisher();
        UniAssertSubscriber<Response.Output> block = new Response(publisher, JSON)
                .execute(parameters("{\"body\": \"ok\"}"), CONTEXT)
                .subscribe().withSubscriber(UniAssertSubscriber.create());

        assertEquals(List.of("workflow.run-7.response"), publisher.subjects);
        Event event = publisher.events.get(0);
        assertEquals("run-7/reply/response", event.id());
        assertEquals("workflow.response", event.type());
        assertEquals(2, event.attempt());
        block.assertNotTerminated(); // still waiting for the acknowledgement

        publisher.ack.complete(null);
        assertEquals("ok", block.awaitItem().getItem().body().asText());
    }

    @Test
    void aFailedPublishIsARetryablePublishFailedError() throws Exception {
        HeldPublisher publisher = new HeldPublisher();
        publisher.ack.completeExceptionally(new IOException("Timeout or no response waiting for NATS JetStream server"));

        Throwable failure = new Response(publisher, JSON).execute(parameters("{\"body\": \"ok\"}"), CONTEXT)
                .subscribe().withSubscriber(UniAssertSubscriber.create()).awaitFailure().getFailure();

        BlockError error = ((BlockFailure) failure).error();
        assertEquals("PUBLISH_FAILED", error.code());
        assertTrue(error.retryable());
        assertEquals("could not store the response on workflow.run-7.response: Timeout or no response waiting for"
                + " NATS JetStream server", error.message());
    }

    @Test
    void aResponseLargerThanOneMessageIsAPermanentErrorAndIsNotPublished() throws Exception {
        HeldPublisher publisher = new HeldPublisher();
        publisher.maxData = 100;

        Throwable failure = new Response(publisher, JSON).execute(parameters("{\"body\": \"" + "x".repeat(200) + "\"}"),
                CONTEXT).subscribe().withSubscriber(UniAssertSubscriber.create()).awaitFailure().getFailure();

        BlockError error = ((BlockFailure) failure).error();
        assertEquals("RESPONSE_TOO_LARGE", error.code());
        assertFalse(error.retryable());
        assertEquals(List.of(), publisher.subjects);
    }
}
