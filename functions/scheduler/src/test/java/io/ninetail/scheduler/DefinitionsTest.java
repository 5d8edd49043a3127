package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DefinitionsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String WORKFLOW = """
            {"name": "w", "blocks": [{"id": "a", "type": "transform", "with": {"value": "${ $input }"}}]}
            """;

    private final Definitions definitions = new Definitions();

    @Test
    void runsOfTheSameTextShareOneDefinitionNode() throws Exception {
        JsonNode first = definitions.runDefinition(MAPPER.readTree(WORKFLOW));
        JsonNode second = definitions.runDefinition(MAPPER.readTree(WORKFLOW));

        assertSame(first, second, "each start event parses its own copy; the runs carry one node");
        assertEquals("a", first.path("blocks").path(0).path("id").asText());
    }

    @Test
    void aRunsDefinitionNodeFindsTheWorkflowCompiledFromItsText() throws Exception {
        JsonNode received = MAPPER.readTree(WORKFLOW);
        var compiled = definitions.compile(received);

        assertSame(compiled, definitions.compile(definitions.runDefinition(received)));
        assertSame(compiled, definitions.compile(MAPPER.readTree(WORKFLOW)), "the same text, read again");
    }

    @Test
    void theNodeRunsCarryWritesTheSameJsonAsTheDefinitionsObjectForm() throws Exception {
        JsonNode received = MAPPER.readTree(WORKFLOW);
        JsonNode carried = definitions.runDefinition(received);

        JsonNode objectForm = definitions.compile(received).definition().orElseThrow().toJson();
        assertEquals(MAPPER.writeValueAsString(objectForm), MAPPER.writeValueAsString(carried));
        assertEquals(objectForm, MAPPER.readTree(MAPPER.writeValueAsBytes(carried)), "it reads back as written");
    }

    @Test
    void anInvalidWorkflowIsCompiledToItsErrorsAndStartsNoRun() throws Exception {
        JsonNode invalid = MAPPER.readTree("{\"name\": \"w\", \"blocks\": [{\"id\": \"a\", \"type\": \"nope\"}]}");

        assertFalse(definitions.compile(invalid).valid());
        assertThrows(IllegalArgumentException.class, () -> definitions.runDefinition(invalid));
    }
}
