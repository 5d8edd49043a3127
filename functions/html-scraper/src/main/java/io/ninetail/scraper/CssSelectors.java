package io.ninetail.scraper;

import org.jsoup.select.Evaluator;
import org.jsoup.select.QueryParser;
import org.jsoup.select.Selector;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CSS selector dialect of the html-scraper block (jsoup's: CSS 3 plus {@code :contains()},
 * {@code :has()}, {@code :matches()} and friends). {@link #check} is public so that workflow
 * validation can reject a bad selector when the definition is submitted, with the same words
 * the block would use at run time.
 */
public final class CssSelectors {

    private static final int PARSED_MAX = 512;
    private static final Map<String, Evaluator> PARSED = new ConcurrentHashMap<>();

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
            compile(selector);
            return Optional.empty();
        } catch (Selector.SelectorParseException | IllegalArgumentException e) {
            return Optional.of("invalid CSS selector '" + selector + "': " + oneLine(e.getMessage()));
        }
    }

    /**
     * A selector parsed, once for all executions: every run of a workflow asks for the same few,
     * and parsing them (twice: the parameters check them) was a twentieth of the block's CPU.
     * A parsed jsoup evaluator may be shared by threads: what it memoises while matching is kept
     * per thread. Bad selectors are not kept; they throw as {@link QueryParser#parse} does.
     */
    static Evaluator compile(String selector) {
        Evaluator parsed = PARSED.get(selector);
        if (parsed == null) {
            parsed = QueryParser.parse(selector);
            if (PARSED.size() >= PARSED_MAX) {
                // Many distinct selectors (generated ones?): start over rather than grow without end.
                PARSED.clear();
            }
            PARSED.put(selector, parsed);
        }
        return parsed;
    }

    /** Some jsoup messages (regex errors in {@code :matches()}) span lines with a caret drawing. */
    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
