package io.ninetail.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.OrderedConsumerContext;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.ninetail.core.event.Event;
import io.ninetail.core.event.EventReader;
import io.ninetail.core.nats.EventPublisher;
import io.ninetail.core.nats.Subjects;
import io.ninetail.core.nats.Topology;
import io.ninetail.core.run.Run;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A run's events as Server-Sent Events: its history from the {@code WORKFLOW} stream, then its
 * live events, through one JetStream ordered consumer on {@code workflow.<runId>.>} (ephemeral,
 * no acknowledgements, resumed by the client library from the last sequence seen if the
 * connection drops). The stream ends after the run's {@code complete}, {@code failed} or
 * {@code cancelled} event; a client that goes away stops the consumer.
 *
 * <p>Each SSE event: {@code id} = the event's sequence in the stream (send it back as
 * {@code Last-Event-ID} to resume after it), {@code event} = the CloudEvent type, {@code data} =
 * the CloudEvent in JSON structured mode plus its NATS {@code subject}.
 */
@ApplicationScoped
public class RunEvents {

    private static final Logger LOG = Logger.getLogger(RunEvents.class);
    /**
     * The history is read from a little before the run was created: enough for clocks that
     * disagree, and the server need not scan the stream from its beginning.
     */
    private static final Duration CLOCK_MARGIN = Duration.ofMinutes(5);
    /** Longer than the scheduler's ack-wait (30 s), after which a crashed scheduler's events are sent. */
    private static final Duration END_GRACE = Duration.ofSeconds(45);

    private final EventPublisher publisher;
    private final EventReader reader;
    private final RunViews views;
    private final ObjectMapper mapper;

    public RunEvents(EventPublisher publisher, EventReader reader, RunViews views, ObjectMapper mapper) {
        this.publisher = publisher;
        this.reader = reader;
        this.views = views;
        this.mapper = mapper;
    }

    /**
     * @param after the last stream sequence the client has seen (its {@code Last-Event-ID}), or null
     */
    public Multi<OutboundSseEvent> stream(Run run, Long after, Sse sse) {
        OrderedConsumerConfiguration configuration = new OrderedConsumerConfiguration()
                .filterSubject(Subjects.workflowAll(run.runId()));
        if (after != null) {
            configuration.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(after + 1);
        } else if (run.createdAt() != null) {
            configuration.deliverPolicy(DeliverPolicy.ByStartTime)
                    .startTime(run.createdAt().minus(CLOCK_MARGIN).atZone(ZoneOffset.UTC));
        } else {
            configuration.deliverPolicy(DeliverPolicy.All);
        }
        boolean endedAlready = run.status().finished();
        return Multi.createFrom().emitter(emitter -> {
            // The history of an ended run may be delivered (and the stream completed) before
            // consume() even returns: whichever of the two comes last stops the consumer.
            AtomicReference<MessageConsumer> consumer = new AtomicReference<>();
            AtomicBoolean terminated = new AtomicBoolean();
            emitter.onTermination(() -> {
                terminated.set(true);
                stop(consumer.getAndSet(null));
            });
            try {
                OrderedConsumerContext context = publisher.connection().getStreamContext(Topology.WORKFLOW_STREAM)
                        .createOrderedConsumer(configuration);
                MessageConsumer started = context.consume(message -> deliver(message, run, endedAlready, sse, emitter));
                consumer.set(started);
                if (terminated.get()) {
                    stop(consumer.getAndSet(null));
                }
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                emitter.fail(KvBucket.unavailable("reading the events of run " + run.runId(), e));
            }
        });
    }

    private void deliver(Message message, Run run, boolean endedAlready, Sse sse,
                         MultiEmitter<? super OutboundSseEvent> emitter) {
        if (emitter.isCancelled()) {
            return;
        }
        String type;
        try {
            Event event = reader.read(message);
            type = event.type();
            emitter.emit(sse.newEventBuilder()
                    .id(Long.toString(message.metaData().streamSequence()))
                    .name(type)
                    // JSON text without a media type: SSE has no content-type field, a client parses data itself.
                    .data(String.class, mapper.writeValueAsString(structured(message.getSubject(), event, run)))
                    .build());
        } catch (IOException | RuntimeException e) {
            LOG.warnf("run %s: skipping unreadable event on %s: %s", run.runId(), message.getSubject(), e.getMessage());
            type = null;
        }
        boolean end = "workflow.complete".equals(type) || "workflow.failed".equals(type)
                || "workflow.cancelled".equals(type);
        if (end) {
            emitter.complete();
        } else if (endedAlready && message.metaData().pendingCount() == 0) {
            // A run that had ended when the client came, whose history lacks the end: the run is
            // recorded before its events are sent, and a scheduler that died in between sends them
            // when the run's event is redelivered to it. Wait for the end that far, not for ever.
            Infrastructure.getDefaultWorkerPool().schedule(emitter::complete, END_GRACE.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** The CloudEvent in JSON structured mode, with its subject; a webhook request's secrets blanked. */
    private ObjectNode structured(String subject, Event event, Run run) {
        ObjectNode json = mapper.createObjectNode();
        json.put("specversion", Event.SPEC_VERSION);
        json.put("id", event.id());
        json.put("source", event.source());
        json.put("type", event.type());
        json.put("subject", subject);
        json.put("time", event.time().toString());
        json.put("runid", event.runId());
        if (event.blockId() != null) {
            json.put("blockid", event.blockId());
        }
        json.put("attempt", event.attempt());
        json.put("datacontenttype", Event.CONTENT_TYPE);
        JsonNode data = data(event);
        if (data instanceof ObjectNode object && object.has("trigger")) {
            object.set("trigger", views.redact(object.get("trigger"), run.definition()));
        }
        json.set("data", data);
        return json;
    }

    private JsonNode data(Event event) {
        if (event.data().length == 0) {
            return mapper.nullNode();
        }
        try {
            return mapper.readTree(event.data());
        } catch (IOException e) {
            return mapper.getNodeFactory().textNode(new String(event.data(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static void stop(MessageConsumer consumer) {
        if (consumer == null) {
            return;
        }
        try {
            consumer.stop();
            consumer.close();
        } catch (Exception e) {
            LOG.debugf("closing an events consumer: %s", e.getMessage());
        }
    }
}
