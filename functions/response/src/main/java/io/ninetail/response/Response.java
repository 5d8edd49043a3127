package io.ninetail.response;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ninetail.core.block.Block;
import io.ninetail.core.block.BlockContext;
import io.ninetail.core.block.BlockFailure;
import io.ninetail.core.event.Event;
import io.ninetail.core.nats.EventPublisher;
import io.ninetail.core.nats.Subjects;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code response}: what the caller of the run's webhook receives.
 *
 * <pre>{@code
 * {"id": "reply", "type": "response", "needs": ["heads"],
 *  "with": {"status": 200, "headers": {"cache-control": "no-store"}, "body": "${ .heads }"}}
 * }</pre>
 * publishes, and outputs, {@code {"status": 200, "headers": {"cache-control": "no-store",
 * "content-type": "application/json"}, "body": {"h1": ["Today"], …}}}.
 *
 * <p>The block publishes that as the CloudEvent {@code workflow.response} on
 * {@code workflow.<runId>.response} (stream {@code WORKFLOW}), where the api waits for it to
 * answer the webhook caller, and only when the stream has stored it does the block complete;
 * its output, the same {@code {status, headers, body}}, becomes the run's output. The event's id
 * is {@code <runId>/<blockId>/response}: a redelivered or retried response block publishes the
 * same id, which JetStream drops as a duplicate.
 *
 * <p>Errors: {@code INVALID_PARAMETERS} (status outside 100–599, a header named twice or one the
 * server sets itself) and {@code PUBLISH_FAILED} (retryable: JetStream did not store the event).
 * A response larger than one message travels through the payload store like any event.
 */
@ApplicationScoped
public class Response implements Block<Response.Parameters, Response.Output> {

    static final String PUBLISH_FAILED = "PUBLISH_FAILED";
    static final String SOURCE = "/ninetail/functions/response";
    static final String TEXT = "text/plain; charset=utf-8";
    static final String JSON = "application/json";
    /** Set by the server that answers the caller, from the body it sends. */
    static final List<String> SERVER_HEADERS = List.of("content-length", "transfer-encoding", "connection");

    /**
     * @param status  the HTTP status the caller gets (100–599, default 200)
     * @param headers response headers, name → value; names are case-insensitive and come out
     *                lower-case. {@code content-type} defaults from the body: a string is
     *                {@code text/plain; charset=utf-8}, anything else {@code application/json}.
     *                {@code content-length}, {@code transfer-encoding} and {@code connection}
     *                are the server's to set.
     * @param body    what the caller gets: a string is sent as text, as it is; any other JSON
     *                value (object, list, number, boolean) is sent as JSON. Missing or null: no
     *                body; ignored for 1xx, 204 and 304, which have none. In a workflow it
     *                defaults to the output of the block's need.
     */
    @RegisterForReflection
    public record Parameters(Integer status, Map<String, String> headers, JsonNode body) {
        public Parameters {
            status = status == null ? 200 : status;
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("parameter 'status' must be an HTTP status from 100 to 599, was "
                        + status);
            }
            // A workflow's body defaults to the need's output, even for a status that has no body.
            body = body == null || body.isNull() || !hasBody(status) ? null : body;
            Map<String, String> lower = new LinkedHashMap<>();
            if (headers != null) {
                headers.forEach((name, value) -> {
                    String key = name.strip().toLowerCase(Locale.ROOT);
                    if (key.isEmpty() || value == null) {
                        throw new IllegalArgumentException("parameter 'headers." + name
                                + "' must be a non-empty name with a string value");
                    }
                    if (SERVER_HEADERS.contains(key)) {
                        throw new IllegalArgumentException("parameter 'headers." + name + "': " + key
                                + " is set by the server from the body");
                    }
                    if (lower.putIfAbsent(key, value) != null) {
                        throw new IllegalArgumentException("parameter 'headers' names '" + key + "' twice");
                    }
                });
            }
            headers = Collections.unmodifiableMap(lower);
        }
    }

    /** 1xx, 204 and 304 responses carry no body (RFC 9110). */
    static boolean hasBody(int status) {
        return status >= 200 && status != 204 && status != 304;
    }

    /**
     * The response as the caller gets it; also the run's output.
     *
     * @param status  the HTTP status
     * @param headers lower-case names, with the defaulted {@code content-type} when there is a body
     * @param body    the body as given: text when a string, JSON otherwise; null for none
     */
    @RegisterForReflection
    public record Output(int status, Map<String, String> headers, JsonNode body) {
    }

    private final EventPublisher publisher;
    private final ObjectMapper mapper;

    public Response(EventPublisher publisher, ObjectMapper mapper) {
        this.publisher = publisher;
        this.mapper = mapper;
    }

    @Override
    public String type() {
        return "response";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public Uni<Output> execute(Parameters parameters, BlockContext context) {
        Output response = reply(parameters);
        String subject = Subjects.workflowResponse(context.runId());
        byte[] data = json(response);
        Event event = new Event(context.runId() + "/" + context.blockId() + "/response", SOURCE,
                Subjects.eventType(subject), OffsetDateTime.now(ZoneOffset.UTC), context.runId(), context.blockId(),
                context.attempt(), data);
        return Uni.createFrom().completionStage(() -> publisher.publish(subject, event))
                .onFailure().transform(failure -> BlockFailure.retryable(PUBLISH_FAILED, "could not store the"
                        + " response on " + subject + ": " + describe(failure)))
                .replaceWith(response);
    }

    /** The response for the parameters: {@code content-type} filled in from the body unless given. */
    static Output reply(Parameters parameters) {
        Map<String, String> headers = parameters.headers();
        if (parameters.body() != null && !headers.containsKey("content-type")) {
            Map<String, String> withType = new LinkedHashMap<>(headers);
            withType.put("content-type", parameters.body().isTextual() ? TEXT : JSON);
            headers = Collections.unmodifiableMap(withType);
        }
        return new Output(parameters.status(), headers, parameters.body());
    }

    private byte[] json(Output output) {
        try {
            return mapper.writeValueAsBytes(output);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response of JSON values always serialises", e);
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure.getCause() != null && failure instanceof java.util.concurrent.CompletionException
                ? failure.getCause() : failure;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
