package io.ninetail.scraper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ninetail.scraper.HtmlScraper.Extraction;
import org.jsoup.nodes.Element;
import org.jsoup.select.Evaluator;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A validated {@code extract} map with every selector parsed once, applied to a page (or, for
 * {@code fields}, to each matched element). Built for one execution.
 */
final class Extractor {

    /** Attributes that hold a URL, resolved to absolute ones (HTML's URL-valued attributes). */
    static final Set<String> URL_ATTRIBUTES = Set.of("href", "src", "action", "formaction", "cite", "poster",
            "data", "background", "longdesc", "usemap", "codebase", "manifest", "icon", "xlink:href");

    private final List<Field> fields;

    private Extractor(List<Field> fields) {
        this.fields = fields;
    }

    /** {@code links} makes URL attributes absolute for the page it is applied to. */
    static Extractor compile(Map<String, Extraction> extract, LinkResolver links) {
        return new Extractor(extract.entrySet().stream().map(e -> Field.compile(e.getKey(), e.getValue(), links))
                .toList());
    }

    /** Every name of the map with its value, read inside {@code scope}. */
    ObjectNode recordOf(Element scope) {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        for (Field field : fields) {
            record.set(field.name(), field.valueIn(scope));
        }
        return record;
    }

    /**
     * @param selector null: the field reads the record's element itself
     * @param record   non-null when the extraction has {@code fields}
     */
    private record Field(String name, Evaluator selector, Extraction spec, Extractor record, LinkResolver links) {

        static Field compile(String name, Extraction spec, LinkResolver links) {
            return new Field(name, spec.selector() == null ? null : CssSelectors.compile(spec.selector()), spec,
                    spec.fields() == null ? null : Extractor.compile(spec.fields(), links), links);
        }

        JsonNode valueIn(Element scope) {
            // select(), not the lazier selectStream(): structural jsoup evaluators (descendant, :has, …)
            // memoise matches per thread and only a completed select() clears that memo; otherwise
            // the worker thread would keep the page reachable after the block returns.
            // Descendants only, as querySelectorAll does: jsoup would also offer the scope itself.
            Stream<JsonNode> values = (selector == null ? Stream.of(scope)
                    : scope.select(selector).stream().filter(element -> element != scope))
                    .map(this::valueOf)
                    .filter(Objects::nonNull);
            if (!spec.many()) {
                return values.findFirst().orElse(NullNode.getInstance());
            }
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            values.limit(spec.limit() == null ? Long.MAX_VALUE : spec.limit()).forEach(list::add);
            return list;
        }

        /** The element's value, or null to pass the element over (it lacks the attribute). */
        private JsonNode valueOf(Element element) {
            if (record != null) {
                return record.recordOf(element);
            }
            boolean trim = Boolean.TRUE.equals(spec.trim());
            if (spec.attribute() != null) {
                return attribute(element, spec.attribute(), trim);
            }
            String value = switch (spec.value()) {
                case HtmlScraper.OWN_TEXT -> trim ? element.ownText() : element.wholeOwnText();
                case HtmlScraper.HTML -> trim ? element.html().strip() : element.html();
                case HtmlScraper.OUTER_HTML -> trim ? element.outerHtml().strip() : element.outerHtml();
                default -> trim ? element.text() : element.wholeText();
            };
            return TextNode.valueOf(value);
        }

        private JsonNode attribute(Element element, String name, boolean trim) {
            if (!element.hasAttr(name)) {
                return null;
            }
            String value = element.attr(name);
            if (URL_ATTRIBUTES.contains(name.toLowerCase(Locale.ROOT))) {
                // Empty when there is nothing to resolve against; then the value stays as written.
                String absolute = links.absolute(element, name);
                value = absolute.isEmpty() ? value : absolute;
            }
            return TextNode.valueOf(trim ? value.strip() : value);
        }
    }
}
