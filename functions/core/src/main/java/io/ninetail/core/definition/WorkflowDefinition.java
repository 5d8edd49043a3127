package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated workflow (DESIGN §4): what the api stores and the scheduler runs. Made only by
 * {@link WorkflowValidator}; immutable, so one instance may serve any number of runs and threads.
 *
 * @param name    the workflow's name (for the list form: given by the caller, or its hook's path)
 * @param blocks  in the order written; for the list form, in the order of the array
 * @param timeout the longest a run may take, when set (the list form has no place for it)
 */
public record WorkflowDefinition(String name, Optional<String> description, List<BlockDefinition> blocks,
                                 Optional<Duration> timeout) {

    public static final String NAME_PATTERN = "^[a-z0-9][a-z0-9_-]{0,63}$";

    public WorkflowDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        blocks = List.copyOf(blocks);
        Objects.requireNonNull(timeout, "timeout");
    }

    public Optional<BlockDefinition> block(String id) {
        return blocks.stream().filter(b -> b.id().equals(id)).findFirst();
    }

    /** The blocks that name {@code id} in their needs, in document order. */
    public List<BlockDefinition> dependentsOf(String id) {
        return blocks.stream().filter(b -> b.needs().contains(id)).toList();
    }

    /** The object form, defaults left out: the canonical text to store and to show. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("name", name);
        description.ifPresent(text -> json.put("description", text));
        timeout.ifPresent(limit -> json.put("timeout", Durations.format(limit)));
        ArrayNode array = json.putArray("blocks");
        blocks.forEach(block -> array.add(block.toJson()));
        return json;
    }
}
