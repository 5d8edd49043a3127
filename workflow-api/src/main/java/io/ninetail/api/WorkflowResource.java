package io.ninetail.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ninetail.core.definition.Diagnostic;
import io.ninetail.core.definition.ValidationResult;
import io.ninetail.core.definition.WorkflowDefinition;
import io.ninetail.core.definition.WorkflowSchema;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Workflow definitions and their versions (DESIGN §7), and starting runs of a stored workflow. */
@Path("/workflows")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "workflows", description = "Register, read and delete workflow definitions; start their runs")
public class WorkflowResource {

    /** A workflow of this name could not be read at GET /workflows/{name}. */
    static final String RESERVED_NAME = "schema";

    private final WorkflowStore store;
    private final CompiledWorkflows workflows;
    private final Runs runs;
    private final RunViews views;
    private final ApiConfig config;
    private final ObjectMapper mapper;

    public WorkflowResource(WorkflowStore store, CompiledWorkflows workflows, Runs runs, RunViews views,
                            ApiConfig config, ObjectMapper mapper) {
        this.store = store;
        this.workflows = workflows;
        this.runs = runs;
        this.views = views;
        this.config = config;
        this.mapper = mapper;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Create a workflow, or store a new version of it",
            description = "Either form: the object form names itself; a list-form document (a JSON array of blocks) is"
                    + " named by ?name=, else by its hook's path. Its hooks are served at /hooks/{path} from now on.")
    @RequestBody(description = "The workflow definition (see GET /workflows/schema)")
    @APIResponse(responseCode = "201", description = "The first version of a new workflow")
    @APIResponse(responseCode = "200", description = "A new version of an existing workflow")
    @APIResponse(responseCode = "400", description = "Invalid: every error, each with its JSON pointer")
    @APIResponse(responseCode = "409", description = "A hook route is already served by another workflow")
    public Response save(@Parameter(description = "The name of a list-form workflow") @QueryParam("name") String name,
                         byte[] body) {
        ValidationResult result = workflows.validate(body, name == null || name.isBlank() ? null : name.strip());
        if (!result.valid()) {
            throw invalid(result.errors(), result.warnings(), "");
        }
        WorkflowDefinition definition = result.definition().orElseThrow();
        boolean listForm = isListForm(body);
        if (definition.name().equals(RESERVED_NAME)) {
            throw invalid(List.of(new Diagnostic(listForm ? "" : "/name", "'" + RESERVED_NAME + "' is reserved"
                    + " (GET /workflows/schema is the JSON Schema); choose another name"
                    + (listForm ? " with ?name=" : ""))), List.of(), "");
        }
        WorkflowStore.Saved saved;
        try {
            saved = store.save(definition, listForm);
        } catch (WorkflowStore.HookConflict conflict) {
            throw Problem.of(409, "hook-taken", "Hook route taken", "a hook of this workflow listens where another"
                    + " workflow's hook does").with("errors", conflict.conflicts()).exception();
        }
        ObjectNode view = view(saved.stored());
        if (!result.warnings().isEmpty()) {
            view.set("warnings", mapper.valueToTree(result.warnings()));
        }
        return saved.created()
                ? Response.created(URI.create("/workflows/" + definition.name())).entity(view).build()
                : Response.ok(view).build();
    }

    @GET
    @Operation(summary = "Every workflow, its current version")
    public ObjectNode list() {
        ObjectNode answer = mapper.createObjectNode();
        ArrayNode all = answer.putArray("workflows");
        for (WorkflowStore.Stored stored : store.list()) {
            ObjectNode line = view(stored);
            line.remove("definition");
            all.add(line);
        }
        return answer;
    }

    @GET
    @Path("schema")
    @Produces({"application/schema+json", MediaType.APPLICATION_JSON})
    @Operation(summary = "The JSON Schema (2020-12) of workflow definitions, both forms, in one document")
    public JsonNode schema() {
        return WorkflowSchema.document();
    }

    @GET
    @Path("{name}")
    @Operation(summary = "A workflow: its current version, or ?version=n")
    @APIResponse(responseCode = "404", description = "No such workflow or version")
    public ObjectNode get(@PathParam("name") String name, @QueryParam("version") Integer version) {
        return view(stored(name, version));
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a workflow, all its versions and its hooks (runs already started go on)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such workflow")
    public Response delete(@PathParam("name") String name) {
        if (!validName(name) || !store.delete(name)) {
            throw unknownWorkflow(name);
        }
        return Response.noContent().build();
    }

    @POST
    @Path("{name}/runs")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    @Operation(summary = "Start a run of a stored workflow (its current version, or ?version=n)",
            description = "The body is the run input ($input in expressions). Answers 202 at once, or with ?wait=PT30S"
                    + " 200 and the finished run when it ends within that time (202 if it does not).")
    @RequestBody(description = "The run input: any JSON, or nothing")
    @APIResponse(responseCode = "202", description = "Started: {runId, status, links}")
    @APIResponse(responseCode = "200", description = "With ?wait: the finished run")
    public Uni<Response> run(@PathParam("name") String name, @QueryParam("version") Integer version,
                             @Parameter(description = "How long to wait for the run to end, e.g. PT30S")
                             @QueryParam("wait") String wait, byte[] body) {
        Duration waiting = Requests.wait(wait, config.maxWait());
        JsonNode input = Requests.json(mapper, body);
        return RunResource.started(runs, views, workflows.stored(stored(name, version)), input, "api", waiting);
    }

    private WorkflowStore.Stored stored(String name, Integer version) {
        if (!validName(name)) {
            throw unknownWorkflow(name);
        }
        if (version == null) {
            return store.current(name).orElseThrow(() -> unknownWorkflow(name));
        }
        return store.version(name, version).orElseThrow(() -> Problem.of(404, "unknown-workflow", "Unknown workflow",
                "workflow '" + name + "' has no version " + version).with("workflow", name).exception());
    }

    private ObjectNode view(WorkflowStore.Stored stored) {
        ObjectNode view = mapper.valueToTree(stored);
        ObjectNode links = view.putObject("links");
        links.put("self", "/workflows/" + stored.name());
        links.put("runs", "/workflows/" + stored.name() + "/runs");
        ArrayNode hooks = links.putArray("hooks");
        stored.hooks().forEach(route -> hooks.add(route.substring(route.indexOf(' ') + 1)));
        return view;
    }

    /** The 400 problem for a rejected definition: all its errors, each with its pointer. */
    static ProblemException invalid(List<Diagnostic> errors, List<Diagnostic> warnings, String pointerPrefix) {
        List<Diagnostic> prefixed = errors.stream().map(e -> new Diagnostic(pointerPrefix + e.pointer(), e.message()))
                .toList();
        Problem problem = Problem.of(400, "invalid-workflow", "Invalid workflow", errors.size() == 1
                ? "the workflow has 1 error" : "the workflow has " + errors.size() + " errors")
                .with("errors", prefixed);
        if (!warnings.isEmpty()) {
            problem.with("warnings", warnings.stream()
                    .map(w -> new Diagnostic(pointerPrefix + w.pointer(), w.message())).toList());
        }
        return problem.exception();
    }

    static ProblemException unknownWorkflow(String name) {
        return Problem.of(404, "unknown-workflow", "Unknown workflow", "there is no workflow '" + name + "'")
                .with("workflow", name).exception();
    }

    private static boolean validName(String name) {
        return name != null && name.matches(WorkflowDefinition.NAME_PATTERN);
    }

    private static boolean isListForm(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return b == '[';
            }
        }
        return false;
    }
}
