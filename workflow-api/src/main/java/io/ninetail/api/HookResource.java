package io.ninetail.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ninetail.core.definition.BlockDefinition;
import io.ninetail.core.definition.BlockTypes;
import io.ninetail.core.definition.WorkflowDefinition;
import io.ninetail.core.run.BlockRun;
import io.ninetail.core.run.BlockStatus;
import io.ninetail.core.run.Run;
import io.ninetail.core.run.RunStatus;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The webhooks (DESIGN §7): {@code /hooks/{path}} starts the workflow whose hook block owns the
 * path and method, handing the raw request to the run as its trigger. The caller then waits —
 * holding no thread — for the first of:
 *
 * <ul>
 *   <li>{@code workflow.<runId>.response}: the response block's status, headers and body;</li>
 *   <li>{@code workflow.<runId>.failed}: a 500 problem naming the run and the failing block, or,
 *       when the hook block itself refused the request, its status (401, 403, 405, 400);</li>
 *   <li>the hook's {@code responseTimeout} (default PT30S): 504 with the run id; the run goes on.</li>
 * </ul>
 *
 * A workflow without a response block answers 202 {@code {runId}} as soon as its hook block has
 * accepted the request (so a refused request still gets its 401/403). Every answer carries the
 * run id in the {@code Ninetail-Run-Id} header.
 */
@Path("/hooks")
@Tag(name = "hooks", description = "Webhooks: each workflow's hook block listens at /hooks/{its path}")
public class HookResource {

    public static final String RUN_ID_HEADER = "Ninetail-Run-Id";
    /** Codes of the hook block that are the caller's fault, and the status the caller gets for each. */
    static final Map<String, Integer> HOOK_REFUSALS = Map.of(
            "UNAUTHORIZED", 401, "FORBIDDEN", 403, "METHOD_NOT_ALLOWED", 405, "INVALID_BODY", 400);

    private final WorkflowStore store;
    private final CompiledWorkflows workflows;
    private final Runs runs;
    private final RunViews views;
    private final EventData eventData;
    private final ApiMetrics metrics;
    private final ObjectMapper mapper;

    public HookResource(WorkflowStore store, CompiledWorkflows workflows, Runs runs, RunViews views,
                        EventData eventData, ApiMetrics metrics, ObjectMapper mapper) {
        this.store = store;
        this.workflows = workflows;
        this.runs = runs;
        this.views = views;
        this.eventData = eventData;
        this.metrics = metrics;
        this.mapper = mapper;
    }

    @POST
    @Path("{path: .+}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Call a webhook (POST)")
    public Uni<Response> post(@PathParam("path") String path, @Context HttpHeaders headers, @Context UriInfo uri,
                              byte[] body) {
        return call("POST", path, headers, uri, body);
    }

    @PUT
    @Path("{path: .+}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Call a webhook (PUT)")
    public Uni<Response> put(@PathParam("path") String path, @Context HttpHeaders headers, @Context UriInfo uri,
                             byte[] body) {
        return call("PUT", path, headers, uri, body);
    }

    @PATCH
    @Path("{path: .+}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Call a webhook (PATCH)")
    public Uni<Response> patch(@PathParam("path") String path, @Context HttpHeaders headers, @Context UriInfo uri,
                               byte[] body) {
        return call("PATCH", path, headers, uri, body);
    }

    @GET
    @Path("{path: .+}")
    @Operation(summary = "Call a webhook (GET)")
    public Uni<Response> get(@PathParam("path") String path, @Context HttpHeaders headers, @Context UriInfo uri) {
        return call("GET", path, headers, uri, new byte[0]);
    }

    @DELETE
    @Path("{path: .+}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Call a webhook (DELETE)")
    public Uni<Response> delete(@PathParam("path") String path, @Context HttpHeaders headers, @Context UriInfo uri,
                                byte[] body) {
        return call("DELETE", path, headers, uri, body);
    }

    /**
     * Runs on the event loop, which has read the whole body by now: copies what the request says
     * and hands everything else (the trigger's JSON, KV lookups, the start's blocking publish) to
     * one worker. As a blocking endpoint it would take the worker first, which then waited for the
     * body to come in.
     */
    private Uni<Response> call(String method, String path, HttpHeaders headers, UriInfo uri, byte[] body) {
        long start = System.nanoTime();
        Request request = new Request(method, uri.getPath(), new MultivaluedHashMap<>(headers.getRequestHeaders()),
                new MultivaluedHashMap<>(uri.getQueryParameters()), body);
        return Uni.createFrom().deferred(() -> start(path, request, start))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** A webhook request, copied off the event loop's request objects. */
    private record Request(String method, String path, MultivaluedMap<String, String> headers,
                           MultivaluedMap<String, String> query, byte[] body) {
    }

    private Uni<Response> start(String path, Request request, long start) {
        String method = request.method();
        WorkflowStore.HookOwner owner = store.hook(method, path).orElseThrow(() -> noHook(method, path));
        WorkflowStore.Stored stored = store.current(owner.workflow()).orElseThrow(() -> noHook(method, path));
        CompiledWorkflow workflow = workflows.stored(stored);
        WorkflowDefinition definition = workflow.definition();
        BlockDefinition hook = definition.block(owner.blockId()).orElseThrow(() -> noHook(method, path));
        boolean responds = definition.blocks().stream().anyMatch(block -> BlockTypes.RESPONSE.equals(block.type()));
        Awaited awaited = responds ? Awaited.END_OR_RESPONSE : Awaited.endOrBlock(hook.id(), BlockStatus.COMPLETED);
        // Its caller reads nothing before the answer: the scheduler writes the run (not readable at once).
        Runs.Started started = runs.start(workflow, null, trigger(request), "hook", awaited, false);
        return Uni.createFrom().completionStage(started.watch().settled())
                .ifNoItem().after(HookRoute.responseTimeout(hook)).recoverWithItem(() -> null)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(signal -> answer(started, hook, responds, signal))
                .onFailure().recoverWithItem(failure -> failure instanceof ProblemException problem
                        ? withRunId(problem.toResponse(), started.runId())
                        : withRunId(Problem.of(500, "internal", "Internal error", String.valueOf(failure.getMessage()))
                        .toResponse(), started.runId()))
                .invoke(response -> metrics.webhookAnswered(definition.name(), response.getStatus(), start))
                .onTermination().invoke(started.watch()::close);
    }

    /**
     * The request as the run's trigger: {@code {method, path, headers, query, body}}, the body as
     * raw text — or, when it is not UTF-8, as {@code bodyBase64}, so the hook checks a signature
     * over the very bytes received.
     */
    private ObjectNode trigger(Request request) {
        ObjectNode trigger = mapper.createObjectNode();
        trigger.put("method", request.method());
        trigger.put("path", request.path().startsWith("/") ? request.path() : "/" + request.path());
        ObjectNode headerMap = trigger.putObject("headers");
        request.headers().forEach((name, values) ->
                headerMap.put(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
        ObjectNode query = trigger.putObject("query");
        request.query().forEach((name, values) -> {
            if (values.size() == 1) {
                query.put(name, values.get(0));
            } else {
                ArrayNode all = query.putArray(name);
                values.forEach(all::add);
            }
        });
        putBody(trigger, request.body());
        return trigger;
    }

    /**
     * The one decoding a UTF-8 body needs anyway, then a scan for U+FFFD, what malformed bytes
     * decode to: only a body holding that character is checked strictly (it may be the character
     * itself, sent in UTF-8).
     */
    private static void putBody(ObjectNode trigger, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0 || isUtf8(body)) {
            trigger.put("body", text);
        } else {
            trigger.put("bodyBase64", Base64.getEncoder().encodeToString(body));
        }
    }

    private static boolean isUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private Response answer(Runs.Started started, BlockDefinition hook, boolean responds, RunWatcher.Signal signal) {
        String runId = started.runId();
        if (signal == null) {
            // No event in time: the run may still have ended unseen (a reconnect); its record says.
            // No record yet: the scheduler has not started the run (it writes a webhook's run).
            Optional<Run> run = runs.get(runId);
            if (run.isEmpty() || !run.get().status().finished()) {
                return timedOut(runId, started.definition().name(),
                        run.map(Run::status).orElse(RunStatus.PENDING), hook);
            }
            return ended(run.get(), started.definition(), responds);
        }
        if (signal.isResponse()) {
            return respond(eventData.of(signal.message()), runId);
        }
        if (signal.isBlockState(hook.id(), BlockStatus.COMPLETED.token())) {
            return withRunId(Response.accepted(views.accepted(runId, started.definition().name(),
                    RunStatus.RUNNING.name())).build(), runId);
        }
        return ended(runs.requireEnded(runId), started.definition(), responds);
    }

    /** The run ended before (or without) a response event. */
    private Response ended(Run run, WorkflowDefinition definition, boolean responds) {
        String runId = run.runId();
        if (run.status() == RunStatus.FAILED) {
            return failed(run, definition);
        }
        if (run.status() == RunStatus.CANCELLED) {
            return withRunId(Problem.of(500, "run-cancelled", "Run cancelled", "run " + runId
                    + " was cancelled before it answered").with("runId", runId)
                    .with("links", views.links(runId, run.workflow())).toResponse(), runId);
        }
        if (!responds) {
            return withRunId(Response.accepted(views.accepted(run)).build(), runId);
        }
        boolean responded = definition.blocks().stream()
                .filter(block -> BlockTypes.RESPONSE.equals(block.type()))
                .map(block -> run.block(block.id()))
                .anyMatch(block -> block != null && block.status() == BlockStatus.COMPLETED);
        if (responded) {
            // The response event passed unseen; the run's output is the response block's.
            return respond(runs.output(run), runId);
        }
        // Its response block was skipped: the run did its work and had nothing to say.
        return withRunId(Response.noContent().build(), runId);
    }

    private Response failed(Run run, WorkflowDefinition definition) {
        String runId = run.runId();
        String code = run.error() == null ? null : run.error().code();
        Object blockId = run.error() == null ? null : run.error().details().get("blockId");
        BlockDefinition failing = blockId == null ? null : definition.block(blockId.toString()).orElse(null);
        String message = run.error() == null ? "the run failed" : run.error().message();
        if (failing != null && BlockTypes.HOOK.equals(failing.type()) && HOOK_REFUSALS.containsKey(code)) {
            BlockRun hook = run.block(failing.id());
            String detail = hook != null && hook.error() != null ? hook.error().message() : message;
            int status = HOOK_REFUSALS.get(code);
            Response.ResponseBuilder refusal = Problem.of(status, "hook-refused", "Request refused by the hook", detail)
                    .with("runId", runId).with("blockId", failing.id()).with("code", code).response();
            if (status == 405 && hook != null && hook.error() != null && hook.error().details().get("expected") != null) {
                refusal.header("Allow", hook.error().details().get("expected").toString());
            }
            return withRunId(refusal.build(), runId);
        }
        return withRunId(Problem.of(500, "run-failed", "Run failed", message)
                .with("runId", runId).with("blockId", blockId).with("code", code)
                .with("links", views.links(runId, run.workflow())).toResponse(), runId);
    }

    private Response timedOut(String runId, String workflow, RunStatus status, BlockDefinition hook) {
        Duration limit = HookRoute.responseTimeout(hook);
        return withRunId(Problem.of(504, "response-timeout", "No response in time", "run " + runId
                        + " did not answer within " + limit + " (the hook's responseTimeout); it goes on")
                .with("runId", runId).with("status", status.name())
                .with("links", views.links(runId, workflow)).toResponse(), runId);
    }

    /** The response block's {@code {status, headers, body}}: a text body as it is, any other as JSON. */
    private Response respond(JsonNode response, String runId) {
        if (response == null || !response.path("status").isInt()) {
            return withRunId(Problem.of(500, "bad-response", "Bad response", "the run's response is not"
                    + " {status, headers, body}").with("runId", runId).toResponse(), runId);
        }
        Response.ResponseBuilder answer = Response.status(response.get("status").intValue());
        String contentType = null;
        for (Map.Entry<String, JsonNode> header : response.path("headers").properties()) {
            if (header.getKey().equalsIgnoreCase("content-type")) {
                contentType = header.getValue().asText();
            } else {
                answer.header(header.getKey(), header.getValue().asText());
            }
        }
        JsonNode body = response.get("body");
        if (body != null && !body.isNull()) {
            byte[] bytes = body.isTextual() ? body.textValue().getBytes(StandardCharsets.UTF_8) : json(body);
            answer.entity(bytes).type(contentType != null ? contentType
                    : body.isTextual() ? "text/plain; charset=utf-8" : MediaType.APPLICATION_JSON);
        } else if (contentType != null) {
            answer.header("Content-Type", contentType);
        }
        return withRunId(answer.build(), runId);
    }

    private byte[] json(JsonNode body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ProblemException noHook(String method, String path) {
        List<String> methods = store.methodsOn(path);
        if (!methods.isEmpty()) {
            return new ProblemException(Problem.of(405, "hook-method", "Method not allowed", "/hooks/"
                    + HookRoute.normalize(path) + " answers " + String.join(", ", methods) + ", not " + method),
                    Map.of("Allow", String.join(", ", methods)));
        }
        return Problem.of(404, "unknown-hook", "Unknown hook", "no workflow listens at " + method + " /hooks/"
                + HookRoute.normalize(path)).exception();
    }

    private static Response withRunId(Response response, String runId) {
        return Response.fromResponse(response).header(RUN_ID_HEADER, runId).build();
    }
}
