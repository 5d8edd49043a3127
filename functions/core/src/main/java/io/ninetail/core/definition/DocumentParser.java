package io.ninetail.core.definition;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import java.io.IOException;

/**
 * Reads a submitted document's bytes with the {@link DocumentLimits} enforced while parsing
 * (a hostile document is refused before it is ever a tree), refusing repeated keys (JSON allows
 * them, but which one would win is a guess) and anything after the document.
 */
final class DocumentParser {

    /** The tree, or what is wrong with the text. */
    sealed interface Parsed {
    }

    record Document(JsonNode tree) implements Parsed {
    }

    record Unreadable(Diagnostic problem) implements Parsed {
    }

    private static final ObjectReader READER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(DocumentLimits.MAX_DEPTH)
                    .maxStringLength(DocumentLimits.MAX_STRING_CHARS)
                    .maxNameLength(DocumentLimits.MAX_STRING_CHARS)
                    .maxDocumentLength(DocumentLimits.MAX_BYTES)
                    .maxNumberLength(100)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build())
            .reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private DocumentParser() {
    }

    static Parsed parse(byte[] json) {
        if (json.length > DocumentLimits.MAX_BYTES) {
            return new Unreadable(new Diagnostic("", "the document is larger than " + DocumentLimits.MAX_BYTES + " bytes"));
        }
        try {
            JsonNode tree = READER.readTree(json);
            if (tree == null || tree.isMissingNode()) {
                return new Unreadable(new Diagnostic("", "the document is empty"));
            }
            return new Document(tree);
        } catch (StreamConstraintsException e) {
            return new Unreadable(new Diagnostic(pointer(e), tooBig(e)));
        } catch (JsonProcessingException e) {
            return new Unreadable(new Diagnostic(pointer(e), "not valid JSON: " + Texts.excerpt(e.getOriginalMessage(), 200)
                    + at(e.getLocation())));
        } catch (IOException | RuntimeException e) {
            return new Unreadable(new Diagnostic("", "not valid JSON: " + Texts.excerpt(String.valueOf(e.getMessage()))));
        }
    }

    private static String tooBig(StreamConstraintsException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.contains("nesting depth")) {
            return "the document nests objects and arrays deeper than " + DocumentLimits.MAX_DEPTH + " levels";
        }
        if (message.contains("String value length") || message.contains("Name length")) {
            return "a string of the document is longer than " + DocumentLimits.MAX_STRING_CHARS + " characters";
        }
        if (message.contains("Number value length")) {
            return "a number of the document has more than 100 digits";
        }
        return "the document is larger than " + DocumentLimits.MAX_BYTES + " bytes";
    }

    /** Where the parser was: the pointer of the value being read, as far as it got. */
    private static String pointer(JsonProcessingException e) {
        if (e.getProcessor() instanceof JsonParser parser) {
            try {
                return parser.getParsingContext().pathAsPointer().toString();
            } catch (RuntimeException unknown) {
                return "";
            }
        }
        return "";
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
