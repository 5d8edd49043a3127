package io.ninetail.scheduler;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A block's output object as it arrived, which writes itself back as the very bytes it was
 * read from. The run is written to KV after every event, with every output in it: without
 * this, a page body of tens of kilobytes (up to the inline limit) would be escaped to JSON again
 * on each write.
 * Read-only by contract, like every output in a run: a change would not be written.
 */
final class ReceivedObject extends ObjectNode {

    private final byte[] json;

    private ReceivedObject(Map<String, JsonNode> fields, byte[] json) {
        super(JsonNodeFactory.instance, fields);
        this.json = json;
    }

    /** The output in {@code json}: an object keeps its bytes, any other value is read as usual. */
    static JsonNode read(ObjectMapper mapper, byte[] json) throws IOException {
        JsonNode tree = mapper.readTree(json);
        if (!(tree instanceof ObjectNode object)) {
            return tree;
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        object.fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue()));
        return new ReceivedObject(fields, json);
    }

    @Override
    public void serialize(JsonGenerator generator, SerializerProvider provider) throws IOException {
        generator.writeRawValue(new Raw(json));
    }

    /** The bytes as a value the generator copies without looking at them. */
    private record Raw(byte[] json) implements SerializableString {

        @Override
        public String getValue() {
            return new String(json, StandardCharsets.UTF_8);
        }

        @Override
        public int charLength() {
            return getValue().length();
        }

        @Override
        public char[] asQuotedChars() {
            throw new UnsupportedOperationException("raw JSON is never quoted");
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return json;
        }

        @Override
        public byte[] asQuotedUTF8() {
            throw new UnsupportedOperationException("raw JSON is never quoted");
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            throw new UnsupportedOperationException("raw JSON is never quoted");
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            throw new UnsupportedOperationException("raw JSON is never quoted");
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + json.length > buffer.length) {
                return -1;
            }
            System.arraycopy(json, 0, buffer, offset, json.length);
            return json.length;
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            String value = getValue();
            if (offset + value.length() > buffer.length) {
                return -1;
            }
            value.getChars(0, value.length(), buffer, offset);
            return value.length();
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) {
            throw new UnsupportedOperationException("raw JSON is never quoted");
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(json);
            return json.length;
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) {
            throw new UnsupportedOperationException("raw JSON is never quoted");
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            if (buffer.remaining() < json.length) {
                return -1;
            }
            buffer.put(json);
            return json.length;
        }
    }
}
