package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/blocks.md shows what the code takes: every block in a ```json example is valid in a
 * workflow, and every name in a block's parameter tables is a key of that type's {@code with}
 * schema (the first table: {@code with} itself, and all of its keys; a later one, such as hook's
 * {@code auth} or html-scraper's extraction: an object the schema defines under {@code $defs}).
 */
class BlocksDocTest {

    private static final Pattern FENCE = Pattern.compile("```json\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern SECTION = Pattern.compile("^## (\\S+)\\n(.*?)(?=^## |\\z)",
            Pattern.DOTALL | Pattern.MULTILINE);
    private static final Pattern PARAMETERS = Pattern.compile("^### Parameters.*?\\n(.*?)(?=^### |\\z)",
            Pattern.DOTALL | Pattern.MULTILINE);
    private static final Pattern ROW_NAME = Pattern.compile("^\\| `([^`]+)` \\|", Pattern.MULTILINE);

    private static String doc() throws IOException {
        return Files.readString(Fixtures.repository().resolve("docs/blocks.md"));
    }

    /** The block sections (## hook, ## fetch, …) by type, each its text. */
    private static Map<String, String> sections() throws IOException {
        Map<String, String> sections = new LinkedHashMap<>();
        Matcher section = SECTION.matcher(doc());
        while (section.find()) {
            sections.put(section.group(1), section.group(2));
        }
        return sections;
    }

    /** The names in the first column of each table of a section's parameters, table by table. */
    private static List<List<String>> parameterTables(String section) {
        Matcher parameters = PARAMETERS.matcher(section);
        assertTrue(parameters.find(), "no ### Parameters in the section");
        List<List<String>> tables = new ArrayList<>();
        for (String table : parameters.group(1).split("\\n(?!\\|)")) {
            List<String> names = new ArrayList<>();
            Matcher row = ROW_NAME.matcher(table);
            while (row.find()) {
                names.add(row.group(1));
            }
            if (!names.isEmpty()) {
                tables.add(names);
            }
        }
        return tables;
    }

    /**
     * A block of the docs in the smallest workflow that holds it: each block it needs is a
     * transform of its own, so its expressions refer to blocks that exist.
     */
    private static JsonNode workflowAround(JsonNode block) {
        ObjectNode workflow = Fixtures.JSON.createObjectNode().put("name", "doc-example");
        ArrayNode blocks = workflow.putArray("blocks");
        block.path("needs").forEach(need -> blocks.addObject().put("id", need.asText()).put("type", "transform")
                .putObject("with").putObject("value"));
        blocks.add(block);
        return workflow;
    }

    @Test
    void everyBlockInTheExamplesIsValid() throws IOException {
        Set<String> typesShown = new LinkedHashSet<>();
        Matcher fence = FENCE.matcher(doc());
        while (fence.find()) {
            if (!fence.group(1).startsWith("{\"id\":")) {
                continue; // a function's input or output, not a block
            }
            JsonNode block = Fixtures.json(fence.group(1));
            ValidationResult result = Fixtures.VALIDATOR.validate(workflowAround(block));
            assertEquals(List.of(), result.errors(), fence.group(1));
            typesShown.add(block.get("type").asText());
        }
        assertEquals(Set.copyOf(BlockTypes.builtIn().names()), typesShown, "every block type has a valid example");
    }

    @Test
    void everyParameterInTheTablesIsInTheWithSchemaOfItsType() throws IOException {
        Map<String, String> sections = sections();
        assertEquals(BlockTypes.builtIn().names(), sections.keySet().stream().sorted().toList(),
                "one section per block type");
        sections.forEach((type, section) -> {
            JsonNode schema = BlockTypes.builtIn().withSchema(type);
            List<List<String>> tables = parameterTables(section);
            Set<String> withKeys = names(schema.path("properties"));
            assertEquals(withKeys, Set.copyOf(tables.get(0)), type + ": the first table is `with`, every key of it");
            Set<String> definedKeys = new LinkedHashSet<>();
            schema.path("$defs").forEach(definition -> definedKeys.addAll(names(definition.path("properties"))));
            for (List<String> table : tables.subList(1, tables.size())) {
                for (String name : table) {
                    assertTrue(definedKeys.contains(name), type + ": '" + name + "' is in the docs' table but in no"
                            + " object of the with schema (" + definedKeys + ")");
                }
            }
        });
    }

    private static Set<String> names(JsonNode properties) {
        Set<String> names = new LinkedHashSet<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
