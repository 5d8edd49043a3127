package io.ninetail.scraper;

import org.junit.jupiter.api.Test;

import java.util.Optional;

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
}
