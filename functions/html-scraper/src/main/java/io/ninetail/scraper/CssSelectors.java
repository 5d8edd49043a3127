package io.ninetail.scraper;

import org.jsoup.select.Evaluator;
import org.jsoup.select.QueryParser;
import org.jsoup.select.Selector;

import java.util.Optional;

/**
 * The CSS selector dialect of the html-scraper block (jsoup's: CSS 3 plus {@code :contains()},
 * {@code :has()}, {@code :matches()} and friends). {@link #check} is public so that workflow
 * validation can reject a bad selector when the definition is submitted, with the same words
 * the block would use at run time.
 */
public final class CssSelectors {

    private CssSelectors() {
    }

    /**
     * Whether {@code selector} parses.
     *
     * @return empty when it does; otherwise a one-line message that quotes the selector, e.g.
     *         {@code invalid CSS selector 'div[': Did not find balanced marker at ''}
     */
    public static Optional<String> check(String selector) {
        if (selector == null || selector.isBlank()) {
            return Optional.of("the CSS selector is empty");
        }
        try {
            QueryParser.parse(selector);
            return Optional.empty();
        } catch (Selector.SelectorParseException | IllegalArgumentException e) {
            return Optional.of("invalid CSS selector '" + selector + "': " + oneLine(e.getMessage()));
        }
    }

    /** Parses a selector that {@link #check} accepted, once per execution rather than once per element. */
    static Evaluator compile(String selector) {
        return QueryParser.parse(selector);
    }

    /** Some jsoup messages (regex errors in {@code :matches()}) span lines with a caret drawing. */
    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
