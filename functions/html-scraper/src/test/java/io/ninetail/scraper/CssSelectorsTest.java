package io.ninetail.scraper;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The selector check that workflow validation reuses. */
class CssSelectorsTest {

    @Test
    void validSelectorsIncludingJsoupExtensionsPass() {
        for (String selector : new String[]{"h1", "a[href]", "ul.news > li:nth-child(2n+1) a", "div:has(> a.more)",
                "p:contains(price)", "td:matches(\\d+,\\d{2})", "h2, h3", "> a"}) {
            assertEquals(Optional.empty(), CssSelectors.check(selector), selector);
        }
    }

    @Test
    void anInvalidSelectorGivesAMessageThatQuotesIt() {
        for (String selector : new String[]{"div[", "a >", "::before", "li:nth-child(x)", "a,", "p:contains("}) {
            Optional<String> problem = CssSelectors.check(selector);
            assertTrue(problem.isPresent(), selector);
            assertTrue(problem.get().startsWith("invalid CSS selector '" + selector + "': "), problem.get());
        }
    }

    @Test
    void theMessageIsOneLineEvenWhenJsoupDrawsACaret() {
        String problem = CssSelectors.check("p:matches([)").orElseThrow();
        assertFalse(problem.contains("\n"), problem);
        assertTrue(problem.startsWith("invalid CSS selector 'p:matches([)': "), problem);
    }

    @Test
    void anEmptySelectorIsAProblem() {
        assertEquals(Optional.of("the CSS selector is empty"), CssSelectors.check(""));
        assertEquals(Optional.of("the CSS selector is empty"), CssSelectors.check("  "));
        assertEquals(Optional.of("the CSS selector is empty"), CssSelectors.check(null));
    }

    @Test
    void aSelectorIsParsedOnceAndABadOneEveryTime() {
        assertTrue(CssSelectors.compile("ul.news > li a") == CssSelectors.compile("ul.news > li a"),
                "the same evaluator for the same selector");
        assertTrue(CssSelectors.check("div[").isPresent());
        assertTrue(CssSelectors.check("div[").isPresent(), "a bad selector is not kept as if it had parsed");
    }

    /**
     * Parsed selectors are shared by the worker threads. Structural ones (descendant, child,
     * {@code :has}) memoise matches while they select; each thread's page must give its own answer.
     */
    @Test
    void sharedSelectorsGiveEachConcurrentPageItsOwnMatches() throws Exception {
        String extract = """
                {"items": {"selector": "ul.news > li:has(a)", "all": true, "fields": {
                   "title": {"selector": "a"}, "link": {"selector": "a", "attribute": "href"}}},
                 "first": {"selector": "div.top h2 + p"}}""";
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> pages = new ArrayList<>();
            for (int page = 0; page < 64; page++) {
                int n = page;
                pages.add(() -> {
                    StringBuilder html = new StringBuilder("<div class=top><h2>x</h2><p>page " + n + "</p></div><ul class=news>");
                    for (int item = 0; item <= n % 7; item++) {
                        html.append("<li><a href='/").append(n).append('/').append(item).append("'>t").append(item)
                                .append("</a></li><li>no link</li>");
                    }
                    JsonNode scraped = Scraping.scrape(html.append("</ul>").toString(), "https://example.com/", extract);
                    boolean right = scraped.path("first").asText().equals("page " + n)
                            && scraped.path("items").size() == n % 7 + 1;
                    for (int item = 0; item <= n % 7; item++) {
                        right &= scraped.path("items").path(item).path("link").asText()
                                .equals("https://example.com/" + n + "/" + item);
                    }
                    return right;
                });
            }
            for (Future<Boolean> result : threads.invokeAll(pages)) {
                assertTrue(result.get(), "a page scraped alongside others gave its own matches");
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
