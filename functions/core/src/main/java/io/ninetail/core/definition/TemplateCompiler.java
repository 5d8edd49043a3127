package io.ninetail.core.definition;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles the expressions of one block ({@code with} and {@code if}), reporting every one that
 * is not valid jq with the pointer of its string.
 */
final class TemplateCompiler {

    private final String blockId;
    private final String label;
    private final Diagnostics out;

    /**
     * @param blockId the block's id, for run-time messages
     * @param label   how messages name the block, e.g. {@code fetch block 'page'}
     */
    TemplateCompiler(String blockId, String label, Diagnostics out) {
        this.blockId = blockId;
        this.label = label;
        this.out = out;
    }

    /** A block's parameters; {@code null} when an expression in them is invalid. */
    Template compile(JsonNode value, JsonPointer pointer) {
        int before = out.errorCount();
        Template template = compileValue(value, pointer);
        return out.errorCount() == before ? template : null;
    }

    /**
     * An {@code if}: jq as it is ({@code .page.status == 200}) or wrapped as one expression
     * ({@code ${ .page.status == 200 }}); {@code null} when invalid.
     */
    Expression condition(String text, JsonPointer pointer) {
        String jq = text.trim();
        try {
            List<TemplateScanner.Part> parts = TemplateScanner.scan(text);
            if (parts.size() == 1 && parts.get(0) instanceof TemplateScanner.Code code
                    && code.text().equals(text.trim())) {
                jq = code.jq();
            }
        } catch (InvalidExpressionException unclosed) {
            // Not a ${ } wrapper: then it is bare jq, and jq reports what is wrong with it.
        }
        return expression(text, jq, pointer);
    }

    private Template compileValue(JsonNode value, JsonPointer pointer) {
        if (value.isTextual()) {
            return compileString(value, pointer);
        }
        if (value.isObject()) {
            Map<String, Template> fields = new LinkedHashMap<>();
            value.properties().forEach(e -> fields.put(e.getKey(), compileValue(e.getValue(), pointer.appendProperty(e.getKey()))));
            if (fields.values().stream().allMatch(Template.Literal.class::isInstance)) {
                // Built from the compiled children, not the source: "$${" has become "${" in them.
                ObjectNode literal = JsonNodeFactory.instance.objectNode();
                fields.forEach((name, field) -> literal.set(name, ((Template.Literal) field).value()));
                return new Template.Literal(literal);
            }
            return new Template.ObjectTemplate(fields);
        }
        if (value.isArray()) {
            List<Template> items = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                items.add(compileValue(value.get(i), pointer.appendIndex(i)));
            }
            if (items.stream().allMatch(Template.Literal.class::isInstance)) {
                ArrayNode literal = JsonNodeFactory.instance.arrayNode();
                items.forEach(item -> literal.add(((Template.Literal) item).value()));
                return new Template.Literal(literal);
            }
            return new Template.ArrayTemplate(items);
        }
        return new Template.Literal(value);
    }

    private Template compileString(JsonNode value, JsonPointer pointer) {
        String text = value.textValue();
        if (!TemplateScanner.mentionsExpression(text)) {
            return new Template.Literal(value);
        }
        List<TemplateScanner.Part> parts;
        try {
            parts = TemplateScanner.scan(text);
        } catch (InvalidExpressionException e) {
            out.error(pointer.toString(), label + ": invalid expression in '" + Texts.excerpt(text) + "': " + e.getMessage());
            return new Template.Literal(value);
        }
        List<Object> compiled = new ArrayList<>();
        for (TemplateScanner.Part part : parts) {
            if (part instanceof TemplateScanner.Code code) {
                Expression expression = expression(code.text(), code.jq(), pointer);
                compiled.add(expression == null ? code.text() : expression);
            } else {
                compiled.add(((TemplateScanner.Text) part).text());
            }
        }
        if (compiled.stream().noneMatch(Expression.class::isInstance)) {
            return new Template.Literal(TextNode.valueOf(String.join("",
                    compiled.stream().map(Object::toString).toList())));
        }
        boolean whole = compiled.size() == 1 || compiled.size() <= 3 && onlyBlanksAround(compiled);
        if (whole) {
            return new Template.Whole((Expression) compiled.stream().filter(Expression.class::isInstance)
                    .findFirst().orElseThrow());
        }
        return new Template.Interpolation(compiled);
    }

    /** {@code "  ${ .a }  "} is still one value: blanks around a single expression do not make text. */
    private static boolean onlyBlanksAround(List<Object> parts) {
        return parts.stream().filter(Expression.class::isInstance).count() == 1
                && parts.stream().filter(String.class::isInstance).allMatch(s -> ((String) s).isBlank());
    }

    private Expression expression(String text, String jq, JsonPointer pointer) {
        try {
            return Expression.compile(text, jq, blockId, pointer.toString());
        } catch (InvalidExpressionException e) {
            out.error(pointer.toString(), label + ": invalid expression " + Texts.excerpt(text) + ": " + e.getMessage());
            return null;
        }
    }
}
