package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The block types a definition may use (DESIGN §5), each with the JSON Schema of its
 * {@code with}. A new block type adds its schema file under {@code ninetail/blocks/}, an entry
 * here, and in its own module a test that the schema matches its parameters record (as
 * {@code FetchWithSchemaMatchesParametersTest} does for fetch).
 */
public final class BlockTypes {

    public static final String HOOK = "hook";
    public static final String FETCH = "fetch";
    public static final String HTML_SCRAPER = "html-scraper";
    public static final String RESPONSE = "response";
    public static final String TRANSFORM = "transform";

    private static final BlockTypes BUILT_IN = new BlockTypes(List.of(
            new BlockType(HOOK, true, List.of(), ParameterRule.NONE),
            new BlockType(FETCH, false, List.of(), ParameterRule.NONE),
            new BlockType(HTML_SCRAPER, false, List.of(
                    new PrimaryInput("html", "body", true),
                    new PrimaryInput("baseUrl", "url", false)), new CssSelectorRule()),
            new BlockType(RESPONSE, false, List.of(new PrimaryInput("body", null, false)), ParameterRule.NONE),
            new BlockType(TRANSFORM, false, List.of(), ParameterRule.NONE)));

    private final Map<String, BlockType> types;
    private final SchemaLibrary schemas;

    private BlockTypes(List<BlockType> types) {
        this.types = types.stream().collect(Collectors.toUnmodifiableMap(BlockType::name, Function.identity()));
        this.schemas = new SchemaLibrary(names());
    }

    /** The types Ninetail ships. */
    public static BlockTypes builtIn() {
        return BUILT_IN;
    }

    /** Sorted. */
    public List<String> names() {
        return types.keySet().stream().sorted().toList();
    }

    /** The JSON Schema (2020-12) of a type's {@code with}; a copy. */
    public JsonNode withSchema(String type) {
        if (!types.containsKey(type)) {
            throw new IllegalArgumentException("unknown block type '" + type + "' (known: " + String.join(", ", names()) + ")");
        }
        return schemas.document(SchemaLibrary.withSchemaId(type)).deepCopy();
    }

    Optional<BlockType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    SchemaLibrary schemas() {
        return schemas;
    }
}
