package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The schema files under {@code ninetail/} on the class path, read once, and the JSON Schema
 * library set up to use them: schemas refer to each other by their {@code $id}
 * ({@code https://ninetail.io/schemas/…}), which resolve to these files, never to the network.
 */
final class SchemaLibrary {

    static final String BASE = "https://ninetail.io/schemas/";
    static final String WORKFLOW_ID = BASE + "workflow.schema.json";
    static final String COMMON_ID = BASE + "common.schema.json";
    /** The author-facing messages some schemas carry for a keyword (the ajv-errors convention). */
    static final String ERROR_MESSAGE = "errorMessage";

    private static final String RESOURCES = "ninetail/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> texts;
    private final Map<String, JsonNode> documents;
    private final JsonSchemaFactory factory;
    private final SchemaValidatorsConfig config;

    SchemaLibrary(List<String> blockTypes) {
        Map<String, String> byId = new LinkedHashMap<>();
        byId.put(WORKFLOW_ID, read("workflow.schema.json"));
        byId.put(COMMON_ID, read("common.schema.json"));
        blockTypes.forEach(type -> byId.put(withSchemaId(type), read("blocks/" + type + ".with.schema.json")));
        this.texts = Collections.unmodifiableMap(byId);
        Map<String, JsonNode> parsed = new LinkedHashMap<>();
        byId.forEach((id, text) -> parsed.put(id, parse(id, text)));
        this.documents = Collections.unmodifiableMap(parsed);
        JsonMetaSchema metaSchema = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                .keyword(new AnnotationKeyword(ERROR_MESSAGE))
                .build();
        this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.metaSchema(metaSchema).schemaLoaders(loaders -> loaders.schemas(texts)));
        this.config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
    }

    static String withSchemaId(String type) {
        return BASE + "blocks/" + type + ".with.schema.json";
    }

    /** A schema ready to validate; thread-safe once made. */
    JsonSchema schema(String id) {
        JsonSchema schema = factory.getSchema(SchemaLocation.of(id), config);
        schema.initializeValidators();
        return schema;
    }

    /** A schema file as parsed. Callers must not change it. */
    JsonNode document(String id) {
        JsonNode document = documents.get(id);
        if (document == null) {
            throw new IllegalArgumentException("no schema " + id);
        }
        return document;
    }

    /** The schema node at a location such as {@code https://…/fetch.with.schema.json#/properties/url/pattern}. */
    JsonNode at(SchemaLocation location) {
        String text = location.toString();
        int hash = text.indexOf('#');
        String id = hash < 0 ? text : text.substring(0, hash);
        String fragment = hash < 0 ? "" : text.substring(hash + 1);
        JsonNode document = documents.get(id);
        return document == null ? JSON.missingNode() : document.at(fragment);
    }

    private static String read(String name) {
        try (InputStream in = SchemaLibrary.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("schema " + RESOURCES + name + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String id, String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("schema " + id + " is not JSON", e);
        }
    }
}
