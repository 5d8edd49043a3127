package io.ninetail.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.api.KeyValueEntry;
import io.ninetail.core.definition.Diagnostic;
import io.ninetail.core.definition.WorkflowDefinition;
import io.ninetail.core.nats.EventPublisher;
import io.ninetail.core.nats.Topology;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Workflow definitions, their versions and the hook registry, in the {@code workflows} bucket:
 *
 * <pre>
 * &lt;name&gt;                   the current version {name, version, createdAt, updatedAt, hooks, definition}
 * &lt;name&gt;.v&lt;n&gt;              every version, as it was saved
 * _hook.&lt;METHOD&gt;.&lt;path&gt;    which workflow's hook block answers that route {workflow, blockId, method, path}
 * </pre>
 *
 * Names cannot contain a dot or start with {@code _}, so the three never collide. Every write
 * is a compare-and-set, so two api replicas saving at once never lose a version, and a route
 * is claimed with create-if-absent, so two workflows never own it both. Blocking.
 */
@ApplicationScoped
public class WorkflowStore {

    private static final int MAX_CONFLICTS = 20;

    /** One saved version of a workflow. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record Stored(String name, int version, Instant createdAt, Instant updatedAt, List<String> hooks,
                         JsonNode definition) {
    }

    /** Who answers a hook route. */
    @RegisterForReflection
    public record HookOwner(String workflow, String blockId, String method, String path) {
    }

    /** The result of a save: the version written, and whether it is the workflow's first. */
    public record Saved(Stored stored, boolean created) {
    }

    /** Hook routes of the definition that other workflows own. */
    public static final class HookConflict extends Exception {
        private final List<Diagnostic> conflicts;

        HookConflict(List<Diagnostic> conflicts) {
            super("hook routes taken", null, false, false);
            this.conflicts = List.copyOf(conflicts);
        }

        public List<Diagnostic> conflicts() {
            return conflicts;
        }
    }

    /** An entry's value as read, with the revision it was read at. */
    private record Parsed(long revision, Object value) {
    }

    private final EventPublisher publisher;
    private final WorkflowsView view;
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();
    private final ObjectMapper mapper;
    private volatile KvBucket bucket;

    public WorkflowStore(EventPublisher publisher, WorkflowsView view, ObjectMapper mapper) {
        this.publisher = publisher;
        this.view = view;
        this.mapper = mapper;
    }

    /** Answered from {@link WorkflowsView}: read on every webhook call. */
    public Optional<Stored> current(String name) {
        return view.get(name, key -> bucket().get(key)).map(entry -> parsed(entry, Stored.class));
    }

    public Optional<Stored> version(String name, int version) {
        return bucket().get(versionKey(name, version)).map(this::stored);
    }

    /** The current version of every workflow, by name. */
    public List<Stored> list() {
        List<Stored> all = new ArrayList<>();
        for (String key : bucket().keys("*")) {
            bucket().get(key).map(this::stored).ifPresent(all::add);
        }
        all.sort(Comparator.comparing(Stored::name));
        return all;
    }

    /** Answered from {@link WorkflowsView}: read on every webhook call. */
    public Optional<HookOwner> hook(String method, String path) {
        return view.get(new HookRoute(method, path, null, -1).key(), key -> bucket().get(key))
                .map(entry -> parsed(entry, HookOwner.class));
    }

    /** The methods some hook answers on {@code path} (for a 405's Allow header). */
    public List<String> methodsOn(String path) {
        return bucket().keys(HookRoute.keysOnPath(path)).stream().map(HookRoute::methodOfKey).sorted().toList();
    }

    /**
     * Stores {@code definition} as a new version of its workflow (the first, when there is none)
     * and points its hook routes at it; routes the previous version had and this one has not are
     * released.
     *
     * @param listForm for pointers into the document as submitted
     */
    public Saved save(WorkflowDefinition definition, boolean listForm) throws HookConflict {
        String name = definition.name();
        List<HookRoute> routes = HookRoute.of(definition);
        for (int attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
            Optional<KeyValueEntry> head = bucket().get(name);
            Stored previous = head.map(this::stored).orElse(null);
            List<HookRoute> claimed = claim(name, routes, listForm);
            Instant now = Instant.now();
            Stored stored = new Stored(name, previous == null ? 1 : previous.version() + 1,
                    previous == null ? now : previous.createdAt(), now,
                    routes.stream().map(HookRoute::display).toList(), definition.toJson());
            byte[] json = write(stored);
            try {
                bucket().create(versionKey(name, stored.version()), json);
                if (head.isPresent()) {
                    bucket().update(name, json, head.get().getRevision());
                } else {
                    bucket().create(name, json);
                }
            } catch (KvBucket.Conflict raced) {
                // Another save of this workflow got there first: start again from what it wrote.
                release(name, claimed);
                continue;
            }
            List<HookRoute> released = List.of();
            if (previous != null) {
                Set<String> kept = new HashSet<>(stored.hooks());
                released = routesOf(previous).stream().filter(route -> !kept.contains(route.display())).toList();
                release(name, released);
            }
            refreshView(name, routes, released);
            return new Saved(stored, previous == null);
        }
        throw Problem.of(409, "concurrent-update", "Concurrent updates",
                "workflow '" + name + "' is being saved by others at the same time; try again").exception();
    }

    /** Removes the workflow, every version of it and its hook routes; false when there was none. */
    public boolean delete(String name) {
        Optional<Stored> current = current(name);
        if (current.isEmpty()) {
            return false;
        }
        release(name, routesOf(current.get()));
        bucket().delete(name);
        bucket().keys(name + ".*").forEach(bucket()::delete);
        refreshView(name, routesOf(current.get()), List.of());
        return true;
    }

    /** This replica's own change, visible to its next webhook call whatever its watch has delivered. */
    private void refreshView(String name, List<HookRoute> routes, List<HookRoute> released) {
        List<String> keys = new ArrayList<>();
        keys.add(name);
        routes.forEach(route -> keys.add(route.key()));
        released.forEach(route -> keys.add(route.key()));
        view.refresh(keys, key -> bucket().get(key));
    }

    /** Claims every route for {@code name}; on a conflict releases what it newly claimed and throws. */
    private List<HookRoute> claim(String name, List<HookRoute> routes, boolean listForm) throws HookConflict {
        List<HookRoute> claimed = new ArrayList<>();
        List<Diagnostic> conflicts = new ArrayList<>();
        for (HookRoute route : routes) {
            byte[] owner = write(new HookOwner(name, route.blockId(), route.method(), route.path()));
            Optional<HookOwner> current = Optional.empty();
            for (int attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
                Optional<KeyValueEntry> entry = bucket().get(route.key());
                try {
                    if (entry.isEmpty()) {
                        bucket().create(route.key(), owner);
                        claimed.add(route);
                        current = Optional.empty();
                    } else {
                        current = Optional.of(read(entry.get(), HookOwner.class));
                        if (current.get().workflow().equals(name) && !current.get().blockId().equals(route.blockId())) {
                            bucket().update(route.key(), owner, entry.get().getRevision());
                        }
                    }
                    break;
                } catch (KvBucket.Conflict raced) {
                    // claimed or changed meanwhile: look again
                }
            }
            if (current.isPresent() && !current.get().workflow().equals(name)) {
                conflicts.add(new Diagnostic(route.pointer(listForm), route.display() + " is already served by workflow '"
                        + current.get().workflow() + "'"));
            }
        }
        if (!conflicts.isEmpty()) {
            release(name, claimed);
            throw new HookConflict(conflicts);
        }
        return claimed;
    }

    /** Deletes the routes that {@code name} still owns. */
    private void release(String name, List<HookRoute> routes) {
        for (HookRoute route : routes) {
            bucket().get(route.key()).map(entry -> read(entry, HookOwner.class))
                    .filter(owner -> owner.workflow().equals(name))
                    .ifPresent(owner -> bucket().delete(route.key()));
        }
    }

    private static List<HookRoute> routesOf(Stored stored) {
        List<HookRoute> routes = new ArrayList<>();
        for (String display : stored.hooks() == null ? List.<String>of() : stored.hooks()) {
            String[] parts = display.split(" ", 2);
            routes.add(new HookRoute(parts[0], parts[1].substring("/hooks/".length()), null, -1));
        }
        return routes;
    }

    static String versionKey(String name, int version) {
        return name + ".v" + version;
    }

    /** {@code entry} read once per revision: webhook calls ask for the same few entries again and again. */
    private <T> T parsed(KeyValueEntry entry, Class<T> type) {
        Parsed held = parsed.get(entry.getKey());
        if (held != null && held.revision() == entry.getRevision() && type.isInstance(held.value())) {
            return type.cast(held.value());
        }
        T value = read(entry, type);
        parsed.put(entry.getKey(), new Parsed(entry.getRevision(), value));
        return value;
    }

    private Stored stored(KeyValueEntry entry) {
        return read(entry, Stored.class);
    }

    private <T> T read(KeyValueEntry entry, Class<T> type) {
        try {
            return mapper.readValue(entry.getValue(), type);
        } catch (IOException e) {
            throw new IllegalStateException("entry " + entry.getKey() + " of bucket " + entry.getBucket()
                    + " is not a " + type.getSimpleName(), e);
        }
    }

    private byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private KvBucket bucket() {
        KvBucket current = bucket;
        if (current == null) {
            current = new KvBucket(publisher.connection(), Topology.WORKFLOWS_BUCKET);
            bucket = current;
        }
        return current;
    }
}
