package io.ninetail.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;
import io.ninetail.core.definition.WorkflowDefinition;
import io.ninetail.core.run.Run;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A workflow ready to run: its definition, and the definition's JSON ({@link WorkflowDefinition#toJson})
 * serialized once. Every run carries that JSON twice, in its run record and in its start event;
 * {@link CompiledWorkflows} keeps one of these per stored version, so that a run copies the text
 * instead of building the tree and writing it out again.
 *
 * @param serialized the definition's JSON as a node that Jackson writes out as it is. It is a value
 *                   node, immutable, so the runs that share it cannot change it; it is only for
 *                   writing (it has no fields to read: read {@code definition})
 * @param version    the stored version it is, which its runs name; null for an inline workflow
 */
public record CompiledWorkflow(WorkflowDefinition definition, JsonNode serialized, Integer version) {

    /** An inline workflow (no stored version): see {@link #of(WorkflowDefinition, Integer, ObjectMapper)}. */
    static CompiledWorkflow of(WorkflowDefinition definition, ObjectMapper mapper) {
        return of(definition, null, mapper);
    }

    /**
     * Serializes the definition with {@code mapper}, which must be the one that writes the run
     * records and events it goes into: the bytes are then those it would write itself.
     */
    static CompiledWorkflow of(WorkflowDefinition definition, Integer version, ObjectMapper mapper) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(definition.toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize workflow " + definition.name(), e);
        }
        // Decoded here and encoded again by SerializedString (once, then kept), these are the same
        // bytes: what the generator writes is well-formed UTF-8.
        SerializedString text = new SerializedString(new String(json, StandardCharsets.UTF_8));
        return new CompiledWorkflow(definition, JsonNodeFactory.instance.rawValueNode(new RawValue(text)), version);
    }

    /**
     * A new PENDING run of this workflow, as {@link Run#pending} makes it, carrying the serialized
     * definition and naming the version: a record to write, whose {@code definition} cannot be read.
     */
    Run pending(String runId, JsonNode input, JsonNode trigger, Instant now) {
        return Run.pending(runId, definition, serialized, version, input, trigger, now);
    }
}
