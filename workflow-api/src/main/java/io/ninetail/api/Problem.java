package io.ninetail.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem: every error the api answers is one, as {@code application/problem+json}.
 * {@code type} is {@code https://ninetail.io/problems/<kind>} for Ninetail's own problems (listed
 * in docs/api.md) and {@code about:blank} for plain HTTP ones; extension members (such as
 * {@code errors} or {@code runId}) sit next to the standard ones.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance"})
@RegisterForReflection
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://ninetail.io/problems/";

    private final String type;
    private final String title;
    private final int status;
    private final String detail;
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    private Problem(String type, String title, int status, String detail) {
        this.type = type;
        this.title = title;
        this.status = status;
        this.detail = detail;
    }

    /** One of Ninetail's own problems: {@code kind} names it in its type URI. */
    public static Problem of(int status, String kind, String title, String detail) {
        return new Problem(TYPE_BASE + kind, title, status, detail);
    }

    /** A plain HTTP problem: the status says it all, the title is its reason phrase. */
    public static Problem http(int status, String detail) {
        Response.StatusType known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : Response.Status.Family.familyOf(status).name();
        return new Problem("about:blank", title, status, detail);
    }

    /** Adds an extension member. */
    public Problem with(String name, Object value) {
        if (value != null) {
            extensions.put(name, value);
        }
        return this;
    }

    public String getType() {
        return type;
    }

    public String getTitle() {
        return title;
    }

    public int getStatus() {
        return status;
    }

    public String getDetail() {
        return detail;
    }

    @JsonAnyGetter
    public Map<String, Object> extensions() {
        return Collections.unmodifiableMap(extensions);
    }

    public Object extension(String name) {
        return extensions.get(name);
    }

    public Response.ResponseBuilder response() {
        return Response.status(status).type(MEDIA_TYPE).entity(this);
    }

    public Response toResponse() {
        return response().build();
    }

    /** Answers this problem on a Vert.x route, before any resource runs. */
    public void send(RoutingContext context, ObjectMapper mapper) {
        String body;
        try {
            body = mapper.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + status + "}";
        }
        context.response().setStatusCode(status).putHeader("Content-Type", MEDIA_TYPE).end(body);
    }

    /** Throws this problem: the exception mapper answers it. */
    public ProblemException exception() {
        return new ProblemException(this);
    }

    @Override
    public String toString() {
        return status + " " + title + (detail == null ? "" : ": " + detail);
    }
}
