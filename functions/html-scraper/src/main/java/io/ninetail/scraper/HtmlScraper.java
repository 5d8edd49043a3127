package io.ninetail.scraper;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ninetail.core.block.Block;
import io.ninetail.core.block.BlockContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code html-scraper}: picks values out of an HTML page with CSS selectors (jsoup).
 *
 * <pre>{@code
 * {"id": "heads", "type": "html-scraper", "needs": ["page"],
 *  "with": {"extract": {
 *     "title":    {"selector": "h1"},
 *     "links":    {"selector": "a[href]", "attribute": "href", "all": true, "limit": 20},
 *     "products": {"selector": ".product", "all": true, "fields": {
 *                    "name":  {"selector": "h2"},
 *                    "price": {"selector": ".price"},
 *                    "link":  {"selector": "a", "attribute": "href"}}}}}}
 * }</pre>
 * gives {@code {"title": "Today", "links": ["https://example.com/a", …],
 * "products": [{"name": "Kettle", "price": "€24.90", "link": "https://example.com/p/1"}, …]}}
 * ({@code html} and {@code baseUrl} default to the {@code body} and {@code url} of the fetch
 * before it; the scheduler fills them in).
 *
 * <p>A selector that matches nothing gives {@code null} (or {@code []}), never an error: pages
 * change, and a workflow can test for null. The only error is {@code INVALID_PARAMETERS} (an
 * invalid selector, a missing {@code html}, contradictory options), which is not retryable.
 *
 * <p>Charset: {@code html} arrives as JSON text, so it has already been decoded from bytes
 * (fetch decodes with the charset of the {@code Content-Type} header, else for HTML with the
 * page's {@code <meta charset>}, else UTF-8). This block never decodes again; a
 * {@code <meta charset>} in the markup is not looked at here.
 */
@ApplicationScoped
public class HtmlScraper implements Block<HtmlScraper.Parameters, HtmlScraper.Output> {

    static final String TEXT = "text";
    static final String OWN_TEXT = "ownText";
    static final String HTML = "html";
    static final String OUTER_HTML = "outerHtml";

    /**
     * @param html    the page to scrape (required; in a workflow it defaults to the {@code body}
     *                of the block's single need). Already-decoded text: see the class doc on charsets.
     * @param baseUrl absolute http(s) URL the page was fetched from (in a workflow it defaults to
     *                the {@code url} of the block's need). Relative {@code href}, {@code src} and
     *                other URL attributes come out absolute against it, or against the page's
     *                {@code <base href>} when it has one, as a browser resolves them. Without
     *                either, they come out as written.
     * @param extract what to take from the page: output name → {@link Extraction} (at least one).
     *                The output has the same names, in the same order.
     */
    @RegisterForReflection
    public record Parameters(String html, String baseUrl, Map<String, Extraction> extract) {
        public Parameters {
            if (html == null) {
                throw new IllegalArgumentException("parameter 'html' is required: the page to scrape"
                        + " (in a workflow it defaults to the body of the block's need)");
            }
            baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl.strip();
            if (baseUrl != null) {
                requireHttpUrl(baseUrl);
            }
            extract = Extraction.normalised("extract", extract, false);
        }

        private static void requireHttpUrl(String url) {
            try {
                URI uri = new URI(url);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                    return;
                }
            } catch (URISyntaxException e) {
                // reported below, in the same words as any other non-URL
            }
            throw new IllegalArgumentException("parameter 'baseUrl' must be an absolute http(s) URL, was '" + url + "'");
        }
    }

    /**
     * One value to extract. Without {@code fields}, each matched element gives a string; with
     * {@code fields}, each matched element gives a record.
     *
     * @param selector  CSS selector (jsoup dialect, e.g. {@code a[href]}, {@code ul.news > li},
     *                  {@code p:contains(price)}). Required at the top level; inside
     *                  {@code fields} it is searched for under the record's element only, and
     *                  when left out the field reads the record's element itself.
     * @param attribute take this attribute's value instead of text; elements that lack the
     *                  attribute are passed over. URL attributes ({@code href}, {@code src},
     *                  {@code action}, …) come out absolute (see {@code baseUrl}).
     * @param text      take the text of the element and its descendants (the default)
     * @param html      take the element's inner HTML instead
     * @param ownText   take the element's own text, not its children's, instead
     * @param outerHtml take the element's HTML with its own tag instead. At most one of
     *                  {@code attribute}, {@code text}, {@code html}, {@code ownText},
     *                  {@code outerHtml} and {@code fields} (DESIGN §5)
     * @param all       a list of every match instead of the first match (default false).
     *                  Setting {@code limit} implies a list.
     * @param limit     at most this many values in the list (≥ 1; default no limit)
     * @param trim      strip leading and trailing whitespace and, for text, collapse runs of
     *                  whitespace into one space (default true). False keeps the text exactly as
     *                  in the page, line breaks included.
     * @param fields    make each matched element a record: field name → {@link Extraction}
     *                  evaluated inside that element (nesting allowed). Excludes {@code trim},
     *                  which each field sets for itself.
     */
    @RegisterForReflection
    public record Extraction(String selector, String attribute, Boolean text, Boolean html, Boolean ownText,
                             Boolean outerHtml, Boolean all, Integer limit, Boolean trim,
                             Map<String, Extraction> fields) {

        /** What each match gives when no attribute is named: text, ownText, html or outerHtml. */
        public String value() {
            if (Boolean.TRUE.equals(ownText)) {
                return OWN_TEXT;
            }
            if (Boolean.TRUE.equals(html)) {
                return HTML;
            }
            if (Boolean.TRUE.equals(outerHtml)) {
                return OUTER_HTML;
            }
            return attribute == null && fields == null ? TEXT : null;
        }

        /** A list rather than the first match. */
        public boolean many() {
            return Boolean.TRUE.equals(all);
        }

        /**
         * Validates a map of extractions as a workflow author wrote it and returns it with
         * defaults filled in, in the author's order. Messages name the JSON path, e.g.
         * {@code extract.products.fields.price}.
         */
        static Map<String, Extraction> normalised(String path, Map<String, Extraction> extractions, boolean inRecord) {
            if (extractions == null || extractions.isEmpty()) {
                throw new IllegalArgumentException("parameter '" + path + "' must name at least one value to extract:"
                        + " name → {\"selector\": …}");
            }
            Map<String, Extraction> checked = new LinkedHashMap<>();
            extractions.forEach((name, extraction) -> {
                String at = path + "." + name;
                if (name.isBlank()) {
                    throw invalid(path, "names must not be empty");
                }
                if (extraction == null) {
                    throw invalid(at, "must be an object such as {\"selector\": \"h1\"}");
                }
                checked.put(name, extraction.normalised(at, inRecord));
            });
            return Collections.unmodifiableMap(checked);
        }

        private Extraction normalised(String at, boolean inRecord) {
            if (selector == null && !inRecord) {
                throw invalid(at, "'selector' is required, e.g. \"h1\" or \"a[href]\"");
            }
            if (selector != null) {
                CssSelectors.check(selector).ifPresent(problem -> {
                    throw invalid(at, problem);
                });
            }
            if (attribute != null && attribute.isBlank()) {
                throw invalid(at, "'attribute' must name an attribute, e.g. \"href\"");
            }
            long chosen = java.util.stream.Stream.of(attribute != null, Boolean.TRUE.equals(text),
                    Boolean.TRUE.equals(html), Boolean.TRUE.equals(ownText), Boolean.TRUE.equals(outerHtml),
                    fields != null).filter(Boolean::booleanValue).count();
            if (chosen > 1) {
                throw invalid(at, "takes at most one of attribute, text, html, ownText, outerHtml and fields");
            }
            if (limit != null && limit < 1) {
                throw invalid(at, "'limit' must be at least 1, was " + limit);
            }
            if (limit != null && Boolean.FALSE.equals(all)) {
                throw invalid(at, "'limit' makes a list, which contradicts \"all\": false");
            }
            if (fields != null && trim != null) {
                throw invalid(at, "'fields' makes each match a record; set 'trim' on the fields instead");
            }
            Map<String, Extraction> records = fields == null ? null : normalised(at + ".fields", fields, true);
            return new Extraction(selector == null ? null : selector.strip(), attribute == null ? null : attribute.strip(),
                    flag(text), flag(html), flag(ownText), flag(outerHtml), Boolean.TRUE.equals(all) || limit != null,
                    limit, records == null ? (trim == null || trim) : null, records);
        }

        /** {@code false} and absent mean the same: not chosen. */
        private static Boolean flag(Boolean value) {
            return Boolean.TRUE.equals(value) ? Boolean.TRUE : null;
        }

        private static IllegalArgumentException invalid(String at, String problem) {
            return new IllegalArgumentException("parameter '" + at + "': " + problem);
        }
    }

    /**
     * The extracted values by the names of {@code extract}: a string or a record for a single
     * match ({@code null} when nothing matches), a list for {@code all}/{@code limit}
     * ({@code []} when nothing matches).
     */
    @RegisterForReflection
    public record Output(@JsonValue ObjectNode values) {
    }

    @Override
    public String type() {
        return "html-scraper";
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    /**
     * Parsing and selecting is CPU work with no I/O to wait for, so it runs right here, on the
     * worker thread the trigger runs the block on (never an event loop).
     */
    @Override
    public Uni<Output> execute(Parameters parameters, BlockContext context) {
        return Uni.createFrom().item(() -> scrape(parameters));
    }

    /** The whole block, synchronously. */
    public Output scrape(Parameters parameters) {
        Document page = Jsoup.parse(parameters.html(), parameters.baseUrl() == null ? "" : parameters.baseUrl());
        // html/outerHtml come out as written in the page, not re-indented.
        page.outputSettings().prettyPrint(false);
        return new Output(Extractor.compile(parameters.extract(), LinkResolver.of(page.baseUri())).recordOf(page));
    }
}
