package io.ninetail.core.definition;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import org.jsoup.select.Selector;

import java.util.Map;

/**
 * html-scraper: every {@code selector} (in {@code extract} and in nested {@code fields}) must be
 * CSS that jsoup can run, so a typo is found when the workflow is saved, not on the first run.
 */
final class CssSelectorRule implements ParameterRule {

    @Override
    public void check(JsonNode with, JsonPointer pointer, String label, Diagnostics out) {
        checkExtractions(with.path("extract"), pointer.appendProperty("extract"), label, out);
    }

    private void checkExtractions(JsonNode extractions, JsonPointer pointer, String label, Diagnostics out) {
        if (!extractions.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> entry : extractions.properties()) {
            JsonPointer at = pointer.appendProperty(entry.getKey());
            JsonNode selector = entry.getValue().path("selector");
            if (selector.isTextual() && !selector.textValue().isBlank()) {
                try {
                    Selector.evaluatorOf(selector.textValue());
                } catch (RuntimeException e) {
                    out.error(at.appendProperty("selector").toString(), label + ": '" + Texts.excerpt(selector.textValue())
                            + "' is not a CSS selector jsoup understands: " + Texts.excerpt(e.getMessage()));
                }
            }
            checkExtractions(entry.getValue().path("fields"), at.appendProperty("fields"), label, out);
        }
    }
}
