package io.ninetail.scraper;

import org.junit.jupiter.api.Test;

import static io.ninetail.scraper.Scraping.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parameters the block refuses, and the words a workflow author gets for each. */
class ParametersValidationTest {

    @Test
    void anInvalidSelectorIsRefusedNamingTheExtractionAndTheSelector() {
        String message = refusal("""
                {"html": "<p>x</p>", "extract": {"price": {"selector": "span.price["}}}""");
        assertTrue(message.startsWith("parameter 'extract.price': invalid CSS selector 'span.price['"), message);
    }

    @Test
    void anInvalidSelectorInsideFieldsIsRefusedWithItsFullPath() {
        String message = refusal("""
                {"html": "<p>x</p>", "extract": {"products": {"selector": ".product", "all": true,
                  "fields": {"name": {"selector": "h2"}, "price": {"selector": ".price:nth-child(x)"}}}}}""");
        assertTrue(message.startsWith(
                "parameter 'extract.products.fields.price': invalid CSS selector '.price:nth-child(x)'"), message);
    }

    @Test
    void htmlIsRequired() {
        assertTrue(refusal("""
                {"extract": {"h1": {"selector": "h1"}}}""").startsWith("parameter 'html' is required"));
    }

    @Test
    void anEmptyPageIsAPageWithNothingOnIt() {
        assertTrue(Scraping.scrape("", null, """
                {"h1": {"selector": "h1"}}""").get("h1").isNull());
    }

    @Test
    void extractMustNameAtLeastOneValue() {
        assertTrue(refusal("""
                {"html": "<p>x</p>"}""").startsWith("parameter 'extract' must name at least one value"));
        assertTrue(refusal("""
                {"html": "<p>x</p>", "extract": {}}""").startsWith("parameter 'extract' must name at least one value"));
        assertTrue(refusal("""
                {"html": "<p>x</p>", "extract": {"a": {"selector": "a", "fields": {}}}}""")
                .startsWith("parameter 'extract.a.fields' must name at least one value"));
    }

    @Test
    void aTopLevelExtractionNeedsASelector() {
        assertEquals("parameter 'extract.title': 'selector' is required, e.g. \"h1\" or \"a[href]\"", refusal("""
                {"html": "<p>x</p>", "extract": {"title": {"attribute": "href"}}}"""));
        assertEquals("parameter 'extract.title': must be an object such as {\"selector\": \"h1\"}", refusal("""
                {"html": "<p>x</p>", "extract": {"title": null}}"""));
    }

    @Test
    void whatToTakeIsChosenOnce() {
        assertEquals("parameter 'extract.link': takes at most one of attribute, text, html, ownText, outerHtml and"
                + " fields", refusal("""
                {"html": "<p>x</p>", "extract": {"link": {"selector": "a", "attribute": "href", "text": true}}}"""));
        assertEquals("parameter 'extract.link': 'attribute' must name an attribute, e.g. \"href\"", refusal("""
                {"html": "<p>x</p>", "extract": {"link": {"selector": "a", "attribute": " "}}}"""));
    }

    @Test
    void twoWaysOfTakingTheValueAreRefused() {
        assertEquals("parameter 'extract.t': takes at most one of attribute, text, html, ownText, outerHtml and"
                + " fields", refusal("""
                        {"html": "<p>x</p>", "extract": {"t": {"selector": "p", "html": true, "ownText": true}}}"""));
    }

    @Test
    void limitIsPositiveAndCannotContradictAll() {
        assertEquals("parameter 'extract.t': 'limit' must be at least 1, was 0", refusal("""
                {"html": "<p>x</p>", "extract": {"t": {"selector": "p", "limit": 0}}}"""));
        assertEquals("parameter 'extract.t': 'limit' makes a list, which contradicts \"all\": false", refusal("""
                {"html": "<p>x</p>", "extract": {"t": {"selector": "p", "all": false, "limit": 3}}}"""));
    }

    @Test
    void fieldsLeaveAttributeValueAndTrimToEachField() {
        assertTrue(refusal("""
                {"html": "<p>x</p>", "extract": {"t": {"selector": "p", "trim": false, "fields": {"a": {}}}}}""")
                .startsWith("parameter 'extract.t': 'fields' makes each match a record"));
    }

    @Test
    void baseUrlMustBeAnAbsoluteHttpUrl() {
        assertEquals("parameter 'baseUrl' must be an absolute http(s) URL, was '/relative/page'", refusal("""
                {"html": "<p>x</p>", "baseUrl": "/relative/page", "extract": {"t": {"selector": "p"}}}"""));
        assertEquals("parameter 'baseUrl' must be an absolute http(s) URL, was 'ftp://files.example/'", refusal("""
                {"html": "<p>x</p>", "baseUrl": "ftp://files.example/", "extract": {"t": {"selector": "p"}}}"""));
    }

    @Test
    void aMisspeltOptionIsRefusedNotIgnored() {
        String message = refusal("""
                {"html": "<p>x</p>", "extract": {"t": {"selector": "p", "atribute": "href"}}}""");
        assertTrue(message.contains("\"atribute\""), message);
    }
}
