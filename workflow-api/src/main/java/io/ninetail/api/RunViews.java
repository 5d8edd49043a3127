package io.ninetail.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ninetail.core.definition.BlockTypes;
import io.ninetail.core.run.Run;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How runs look over HTTP: the run record (DESIGN §6) as JSON, without the scheduler's outbox,
 * with links, and with the secrets of the webhook request that started it blanked out.
 */
@ApplicationScoped
public class RunViews {

    /** What a redacted header's value becomes (as the hook function writes it). */
    static final String REDACTED = "[redacted]";
    private static final Set<String> ALWAYS_SECRET = Set.of("authorization", "proxy-authorization", "cookie");

    private final ObjectMapper mapper;

    public RunViews(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The whole run: states of the run and every block, outputs, errors, attempts, times; not the scheduler's own fields. */
    public ObjectNode run(Run run) {
        ObjectNode view = mapper.valueToTree(run.withoutOutbox());
        view.remove("outbox");
        view.remove("alarm");
        if (view.has("trigger")) {
            view.set("trigger", redact(view.get("trigger"), run.definition()));
        }
        view.set("links", links(run.runId(), run.workflow()));
        return view;
    }

    /** A line of {@code GET /runs}. */
    public ObjectNode summary(Run run) {
        ObjectNode view = mapper.createObjectNode();
        view.put("runId", run.runId());
        view.put("workflow", run.workflow());
        if (run.workflowVersion() != null) {
            view.put("workflowVersion", run.workflowVersion());
        }
        view.put("status", run.status().name());
        putTime(view, "createdAt", run.createdAt());
        putTime(view, "startedAt", run.startedAt());
        putTime(view, "endedAt", run.endedAt());
        if (run.error() != null) {
            view.set("error", mapper.valueToTree(run.error()));
        }
        view.set("links", links(run.runId(), run.workflow()));
        return view;
    }

    /** The 202 answer: the run is under way. */
    public ObjectNode accepted(Run run) {
        return accepted(run.runId(), run.workflow(), run.status().name());
    }

    public ObjectNode accepted(String runId, String workflow, String status) {
        ObjectNode view = mapper.createObjectNode();
        view.put("runId", runId);
        view.put("workflow", workflow);
        view.put("status", status);
        view.set("links", links(runId, workflow));
        return view;
    }

    public ObjectNode links(String runId, String workflow) {
        ObjectNode links = mapper.createObjectNode();
        links.put("self", "/runs/" + runId);
        links.put("events", "/runs/" + runId + "/events");
        links.put("cancel", "/runs/" + runId + "/cancel");
        if (workflow != null) {
            links.put("workflow", "/workflows/" + workflow);
        }
        return links;
    }

    /**
     * A copy of the webhook request with the values of secret headers replaced: the
     * {@code Authorization}, {@code Proxy-Authorization} and {@code Cookie} headers, and the
     * shared-secret header of any {@code header}-auth hook of the workflow.
     */
    public JsonNode redact(JsonNode trigger, JsonNode definition) {
        if (trigger == null || !trigger.path("headers").isObject()) {
            return trigger;
        }
        Set<String> secret = new HashSet<>(ALWAYS_SECRET);
        if (definition != null) {
            for (JsonNode block : definition.path("blocks")) {
                JsonNode auth = block.path("with").path("auth");
                if (BlockTypes.HOOK.equals(block.path("type").asText()) && "header".equals(auth.path("type").asText())
                        && auth.path("header").isTextual()) {
                    secret.add(auth.get("header").asText().toLowerCase(Locale.ROOT));
                }
            }
        }
        ObjectNode copy = trigger.deepCopy();
        ObjectNode headers = (ObjectNode) copy.get("headers");
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            if (secret.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                header.setValue(mapper.getNodeFactory().textNode(REDACTED));
            }
        }
        return copy;
    }

    private static void putTime(ObjectNode view, String name, java.time.Instant time) {
        if (time != null) {
            view.put(name, time.toString());
        }
    }
}
