package io.ninetail.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled JSON value with expressions inside: what {@code with} becomes once validated.
 * Every node is immutable; literal JSON is copied in and copied out, never shared.
 */
sealed interface Template {

    JsonNode resolve(EvaluationContext context);

    /** JSON without expressions. */
    record Literal(JsonNode value) implements Template {
        public Literal {
            value = value.deepCopy();
        }

        @Override
        public JsonNode resolve(EvaluationContext context) {
            return value.deepCopy();
        }
    }

    /** A string that is one expression: it stands for the expression's value, whatever its type. */
    record Whole(Expression expression) implements Template {
        @Override
        public JsonNode resolve(EvaluationContext context) {
            return expression.evaluate(context).deepCopy();
        }
    }

    /**
     * Text with expressions inside: each value is inserted as jq's string interpolation
     * {@code "\(…)"} does (strings as they are, anything else as compact JSON).
     *
     * @param parts {@link String}s and {@link Expression}s
     */
    record Interpolation(List<Object> parts) implements Template {
        public Interpolation {
            parts = List.copyOf(parts);
        }

        @Override
        public JsonNode resolve(EvaluationContext context) {
            StringBuilder text = new StringBuilder();
            for (Object part : parts) {
                if (part instanceof Expression expression) {
                    JsonNode value = expression.evaluate(context);
                    text.append(value.isTextual() ? value.textValue() : value.toString());
                } else {
                    text.append(part);
                }
            }
            return TextNode.valueOf(text.toString());
        }
    }

    record ObjectTemplate(Map<String, Template> fields) implements Template {
        public ObjectTemplate {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        @Override
        public JsonNode resolve(EvaluationContext context) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            fields.forEach((name, value) -> object.set(name, value.resolve(context)));
            return object;
        }
    }

    record ArrayTemplate(List<Template> items) implements Template {
        public ArrayTemplate {
            items = List.copyOf(items);
        }

        @Override
        public JsonNode resolve(EvaluationContext context) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            items.forEach(item -> array.add(item.resolve(context)));
            return array;
        }
    }
}
