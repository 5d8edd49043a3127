package io.ninetail.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ninetail.core.definition.Diagnostic;
import io.ninetail.core.definition.ValidationResult;
import io.ninetail.core.run.Run;
import io.ninetail.core.run.RunStatus;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Runs (DESIGN §7): start one from an inline definition, read, list, cancel, watch. */
@Path("/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs", description = "Start, read, list, cancel and watch runs")
public class RunResource {

    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 200;
    private static final Set<String> INLINE_KEYS = Set.of("workflow", "input", "name");

    private final Runs runs;
    private final RunViews views;
    private final RunEvents events;
    private final CompiledWorkflows workflows;
    private final ApiConfig config;
    private final ObjectMapper mapper;

    public RunResource(Runs runs, RunViews views, RunEvents events, CompiledWorkflows workflows, ApiConfig config,
                       ObjectMapper mapper) {
        this.runs = runs;
        this.views = views;
        this.events = events;
        this.workflows = workflows;
        this.config = config;
        this.mapper = mapper;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Blocking
    @Operation(summary = "Start an ad-hoc run of an inline workflow",
            description = "Body {\"workflow\": <definition, either form>, \"input\": <run input>, \"name\": <name of a"
                    + " list-form workflow>}. The workflow is not stored; the run carries it.")
    @RequestBody(description = "{workflow, input, name}")
    @APIResponse(responseCode = "202", description = "Started: {runId, status, links}")
    @APIResponse(responseCode = "200", description = "With ?wait: the finished run")
    @APIResponse(responseCode = "400", description = "Invalid workflow: every error, pointers under /workflow")
    public Uni<Response> start(@Parameter(description = "How long to wait for the run to end, e.g. PT30S")
                               @QueryParam("wait") String wait, byte[] body) {
        Duration waiting = Requests.wait(wait, config.maxWait());
        JsonNode request = Requests.json(mapper, body);
        List<Diagnostic> errors = new ArrayList<>();
        if (request == null || !request.isObject()) {
            errors.add(new Diagnostic("", "the body must be an object {\"workflow\": …, \"input\": …}"));
        } else {
            request.fieldNames().forEachRemaining(key -> {
                if (!INLINE_KEYS.contains(key)) {
                    errors.add(new Diagnostic("/" + key, "unknown key '" + key + "' (known: input, name, workflow)"));
                }
            });
            if (!request.has("workflow")) {
                errors.add(new Diagnostic("/workflow", "missing required key 'workflow': the workflow definition"));
            }
            if (request.has("name") && !request.get("name").isTextual()) {
                errors.add(new Diagnostic("/name", "name must be a string"));
            }
        }
        if (!errors.isEmpty()) {
            throw WorkflowResource.invalid(errors, List.of(), "");
        }
        ValidationResult result = workflows.validate(request.get("workflow"),
                request.has("name") ? request.get("name").asText() : null);
        if (!result.valid()) {
            throw WorkflowResource.invalid(result.errors(), result.warnings(), "/workflow");
        }
        JsonNode input = request.get("input");
        return started(runs, views, workflows.once(result.definition().orElseThrow()),
                input == null || input.isNull() ? null : input, "inline", waiting);
    }

    /** Starts a run and answers 202, or waits for its end first when {@code wait} is given. */
    static Uni<Response> started(Runs runs, RunViews views, CompiledWorkflow workflow, JsonNode input, String via,
                                 Duration wait) {
        if (wait == null) {
            Runs.Started started = runs.start(workflow, input, null, via, null, true);
            return Uni.createFrom().item(Response.accepted(views.accepted(started.runId(), workflow.definition().name(),
                    RunStatus.PENDING.name())).build());
        }
        Runs.Started started = runs.start(workflow, input, null, via, Awaited.END, true);
        return runs.answerWhenFinished(started, wait, views);
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A run: the states of the run and of every block, outputs, errors, attempts, times")
    @APIResponse(responseCode = "404", description = "No such run")
    public ObjectNode get(@PathParam("id") String id) {
        return views.run(runs.shown(runs.require(id)));
    }

    @GET
    @Operation(summary = "Runs, newest first", description = "Filtered by workflow and status; page on with ?cursor=<next>.")
    public ObjectNode list(@QueryParam("workflow") String workflow,
                           @Parameter(description = "PENDING, RUNNING, COMPLETED, FAILED or CANCELLED")
                           @QueryParam("status") String status,
                           @QueryParam("limit") Integer limit,
                           @Parameter(description = "The `next` of the previous page") @QueryParam("cursor") String cursor) {
        RunStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = RunStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw Requests.invalidParameter("status", "must be one of " + Arrays.toString(RunStatus.values())
                        + ", was '" + status + "'");
            }
        }
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw Requests.invalidParameter("limit", "must be from 1 to " + MAX_LIMIT + ", was " + size);
        }
        Runs.Page page = runs.list(workflow == null || workflow.isBlank() ? null : workflow.strip(), wanted, size,
                cursor == null || cursor.isBlank() ? null : cursor.strip(), config.listScan());
        ObjectNode answer = mapper.createObjectNode();
        ArrayNode lines = answer.putArray("runs");
        page.runs().forEach(run -> lines.add(views.summary(run)));
        if (page.next() != null) {
            answer.put("next", page.next());
        } else {
            answer.putNull("next");
        }
        return answer;
    }

    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    @Operation(summary = "Cancel a run: its unfinished blocks are CANCELLED and so is the run")
    @APIResponse(responseCode = "202", description = "Cancel requested: {runId, status, links}")
    @APIResponse(responseCode = "200", description = "With ?wait: the run, once it has ended")
    @APIResponse(responseCode = "404", description = "No such run")
    @APIResponse(responseCode = "409", description = "The run has already ended")
    public Uni<Response> cancel(@PathParam("id") String id, @QueryParam("wait") String wait) {
        Duration waiting = Requests.wait(wait, config.maxWait());
        Run run = runs.require(id);
        if (run.status().finished()) {
            throw Problem.of(409, "run-ended", "Run already ended", "run " + id + " has already ended: "
                    + run.status()).with("runId", id).with("status", run.status().name()).exception();
        }
        if (waiting == null) {
            runs.cancel(id);
            return Uni.createFrom().item(Response.accepted(views.accepted(run)).build());
        }
        RunWatcher.Watch watch = runs.watch(id, Awaited.END);
        try {
            runs.cancel(id);
        } catch (RuntimeException e) {
            watch.close();
            throw e;
        }
        return runs.answerWhenFinished(new Runs.Started(id, null, watch), waiting, views);
    }

    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(summary = "The run's events as Server-Sent Events: its history, then live until it ends",
            description = "Each event: id = stream sequence (resume with Last-Event-ID), event = CloudEvent type, data ="
                    + " the CloudEvent in JSON structured mode with its subject.")
    @APIResponse(responseCode = "404", description = "No such run")
    public Multi<OutboundSseEvent> events(@PathParam("id") String id,
                                          @HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse) {
        Run run = runs.require(id);
        Long after = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                after = Long.parseLong(lastEventId.strip());
            } catch (NumberFormatException e) {
                throw Problem.of(400, "invalid-header", "Invalid header", "Last-Event-ID must be the id of an event"
                        + " of this stream, was '" + lastEventId + "'").exception();
            }
        }
        return events.stream(run, after, sse);
    }
}
