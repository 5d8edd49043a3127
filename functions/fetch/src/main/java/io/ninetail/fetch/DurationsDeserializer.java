package io.ninetail.fetch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import io.ninetail.core.definition.Durations;

import java.io.IOException;
import java.time.Duration;

/**
 * Reads a duration parameter as the workflow validator checks it ({@link Durations}): ISO-8601
 * ({@code PT10S}) or the short form ({@code 10s}, {@code 500ms}), so that a {@code with} the
 * validator accepted is one the block reads.
 */
final class DurationsDeserializer extends StdScalarDeserializer<Duration> {

    DurationsDeserializer() {
        super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.currentToken().isScalarValue()) {
            return (Duration) context.handleUnexpectedToken(Duration.class, parser);
        }
        String text = parser.getText();
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw InvalidFormatException.from(parser, e.getMessage(), text, Duration.class);
        }
    }
}
