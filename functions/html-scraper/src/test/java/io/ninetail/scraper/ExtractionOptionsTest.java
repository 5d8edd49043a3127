package io.ninetail.scraper;

import com.fasterxml.jackson.databind.JsonNode;
import io.ninetail.core.block.BlockContext;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.ninetail.scraper.Scraping.JSON;
import static io.ninetail.scraper.Scraping.scrape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each option of an extraction does, on a page small enough to read in the test. */
class ExtractionOptionsTest {

    private static final String BASE = "https://site.example/blog/post.html";
    private static final String PAGE = """
            <html><head><title>Options</title></head><body>
            <div id="intro" class="lead" data-next="docs/next.html">  Hello   <b>brave</b>
              new world  </div>
            <ul class="links">
              <li><a href="/docs">Docs</a></li>
              <li><a name="anchor">No link</a></li>
              <li><a href="guide/start.html">Guide</a></li>
              <li><a href="https://other.example/x">Other</a></li>
              <li><a href="mailto:team@site.example">Mail</a></li>
            </ul>
            <img src="img/cat.png" alt="A cat">
            <form action="search"><button formaction="?q=all">All</button></form>
            </body></html>""";

    @Test
    void textIsTheWhitespaceCollapsedTextOfTheElementAndItsChildrenByDefault() {
        assertEquals("Hello brave new world", scrape(PAGE, BASE, """
                {"intro": {"selector": "#intro"}}""").get("intro").textValue());
    }

    @Test
    void trimFalseKeepsTheTextExactlyAsInThePage() {
        assertEquals("  Hello   brave\n  new world  ", scrape(PAGE, BASE, """
                {"intro": {"selector": "#intro", "trim": false}}""").get("intro").textValue());
    }

    @Test
    void ownTextLeavesOutTheTextOfChildElements() {
        JsonNode out = scrape(PAGE, BASE, """
                {"own": {"selector": "#intro", "ownText": true},
                 "ownRaw": {"selector": "#intro", "ownText": true, "trim": false}}""");
        assertEquals("Hello new world", out.get("own").textValue());
        assertEquals("  Hello   \n  new world  ", out.get("ownRaw").textValue());
    }

    @Test
    void htmlIsTheInnerHtmlAsWrittenAndOuterHtmlAddsTheElementsOwnTag() {
        JsonNode out = scrape(PAGE, BASE, """
                {"inner": {"selector": "#intro", "html": true},
                 "outer": {"selector": "li:has(a[href^=/])", "outerHtml": true}}""");
        assertEquals("Hello   <b>brave</b>\n  new world", out.get("inner").textValue());
        assertEquals("<li><a href=\"/docs\">Docs</a></li>", out.get("outer").textValue());
    }

    @Test
    void theFirstMatchIsTakenUnlessAllIsSet() {
        JsonNode out = scrape(PAGE, BASE, """
                {"first": {"selector": ".links a"},
                 "every": {"selector": ".links a", "all": true}}""");
        assertEquals("Docs", out.get("first").textValue());
        assertEquals(List.of("Docs", "No link", "Guide", "Other", "Mail"), texts(out.get("every")));
    }

    @Test
    void limitCapsTheListAndOnItsOwnAlreadyMakesAList() {
        JsonNode out = scrape(PAGE, BASE, """
                {"two": {"selector": ".links a", "limit": 2},
                 "twoOfAll": {"selector": ".links a", "all": true, "limit": 2},
                 "moreThanThere": {"selector": ".links a", "limit": 50}}""");
        assertEquals(List.of("Docs", "No link"), texts(out.get("two")));
        assertEquals(List.of("Docs", "No link"), texts(out.get("twoOfAll")));
        assertEquals(5, out.get("moreThanThere").size());
    }

    @Test
    void aSelectorThatMatchesNothingGivesNullOrAnEmptyListNotAnError() {
        JsonNode out = scrape(PAGE, BASE, """
                {"one": {"selector": "table.prices td"},
                 "list": {"selector": "table.prices td", "all": true},
                 "record": {"selector": "table.prices tr", "fields": {"cell": {"selector": "td"}}},
                 "attr": {"selector": "#intro", "attribute": "title"}}""");
        assertTrue(out.get("one").isNull());
        assertEquals(JSON.createArrayNode(), out.get("list"));
        assertTrue(out.get("record").isNull());
        assertTrue(out.get("attr").isNull(), "an element without the attribute has no value");
    }

    @Test
    void elementsWithoutTheAttributeArePassedOver() {
        JsonNode out = scrape(PAGE, BASE, """
                {"hrefs": {"selector": ".links a", "attribute": "href", "all": true},
                 "named": {"selector": ".links a", "attribute": "name"}}""");
        assertEquals(4, out.get("hrefs").size(), out.toString());
        assertEquals("anchor", out.get("named").textValue());
    }

    @Test
    void urlAttributesComeOutAbsoluteAgainstBaseUrl() {
        JsonNode out = scrape(PAGE, BASE, """
                {"hrefs": {"selector": ".links a", "attribute": "href", "all": true},
                 "img": {"selector": "img", "attribute": "src"},
                 "action": {"selector": "form", "attribute": "action"},
                 "formaction": {"selector": "button", "attribute": "formaction"}}""");
        assertEquals(List.of("https://site.example/docs", "https://site.example/blog/guide/start.html",
                "https://other.example/x", "mailto:team@site.example"), texts(out.get("hrefs")));
        assertEquals("https://site.example/blog/img/cat.png", out.get("img").textValue());
        assertEquals("https://site.example/blog/search", out.get("action").textValue());
        assertEquals("https://site.example/blog/post.html?q=all", out.get("formaction").textValue());
    }

    @Test
    void otherAttributesComeOutAsWrittenEvenWhenTheyLookLikePaths() {
        assertEquals("docs/next.html", scrape(PAGE, BASE, """
                {"next": {"selector": "#intro", "attribute": "data-next"}}""").get("next").textValue());
    }

    @Test
    void withoutBaseUrlRelativeUrlsComeOutAsWritten() {
        JsonNode out = scrape(PAGE, null, """
                {"hrefs": {"selector": ".links a", "attribute": "href", "limit": 2}}""");
        assertEquals(List.of("/docs", "guide/start.html"), texts(out.get("hrefs")));
    }

    @Test
    void theBaseHrefOfThePageIsResolvedAgainstBaseUrlAndWinsAsInABrowser() {
        String page = "<head><base href=\"/v2/\"></head><a href=\"api.html\">API</a>";
        assertEquals("https://site.example/v2/api.html", scrape(page, BASE, """
                {"api": {"selector": "a", "attribute": "href"}}""").get("api").textValue());
        assertEquals("https://cdn.example/api.html", scrape(page.replace("/v2/", "https://cdn.example/"), null, """
                {"api": {"selector": "a", "attribute": "href"}}""").get("api").textValue());
    }

    @Test
    void fieldsMakeOneRecordPerMatchSearchedInsideThatMatchOnly() {
        JsonNode out = scrape(PAGE, BASE, """
                {"links": {"selector": ".links li", "all": true, "fields": {
                    "label": {"selector": "a"},
                    "url": {"selector": "a", "attribute": "href"}}}}""");
        assertEquals(5, out.get("links").size());
        assertEquals(JSON.createObjectNode().put("label", "Docs").put("url", "https://site.example/docs"),
                out.get("links").get(0));
        assertEquals("No link", out.get("links").get(1).get("label").textValue());
        assertTrue(out.get("links").get(1).get("url").isNull(), "the second item's link has no href");
    }

    @Test
    void aFieldWithoutSelectorReadsTheMatchedElementItself() {
        JsonNode out = scrape(PAGE, BASE, """
                {"intro": {"selector": "div.lead", "fields": {
                    "id": {"attribute": "id"}, "text": {}, "bold": {"selector": "b"}}}}""");
        assertEquals(JSON.createObjectNode().put("id", "intro").put("text", "Hello brave new world").put("bold", "brave"),
                out.get("intro"));
    }

    @Test
    void aFieldSelectorNeverMatchesTheRecordsOwnElement() throws Exception {
        String page = "<ul class=tree><li>a<ul><li>a1</li><li>a2</li></ul></li><li>b</li></ul>";
        JsonNode out = scrape(page, null, """
                {"top": {"selector": ".tree > li", "all": true, "fields": {
                    "name": {"ownText": true},
                    "children": {"selector": "li", "all": true, "fields": {"name": {"ownText": true}}}}}}""");
        assertEquals(JSON.readTree("""
                [{"name": "a", "children": [{"name": "a1"}, {"name": "a2"}]},
                 {"name": "b", "children": []}]"""), out.get("top"));
    }

    @Test
    void theOutputKeepsTheNamesInTheOrderOfExtract() {
        JsonNode out = scrape(PAGE, BASE, """
                {"zeta": {"selector": "b"}, "alpha": {"selector": "title"}, "mid": {"selector": "img", "attribute": "alt"}}""");
        assertEquals(List.of("zeta", "alpha", "mid"), List.copyOf(iterable(out.fieldNames())));
    }

    @Test
    void executeEmitsWhatScrapeComputes() {
        HtmlScraper scraper = new HtmlScraper();
        HtmlScraper.Parameters parameters = Scraping.parameters(PAGE, BASE, """
                {"title": {"selector": "title"}}""");
        HtmlScraper.Output output = scraper.execute(parameters, new BlockContext("run-1", "scrape", 1, "evt-1"))
                .await().indefinitely();
        assertEquals("{\"title\":\"Options\"}", JSON.valueToTree(output).toString());
        assertEquals("html-scraper", scraper.type());
    }

    static List<String> texts(JsonNode list) {
        return iterable(list.elements()).stream().map(JsonNode::textValue).toList();
    }

    private static <T> List<T> iterable(java.util.Iterator<T> iterator) {
        List<T> items = new java.util.ArrayList<>();
        iterator.forEachRemaining(items::add);
        return items;
    }
}
