package io.ninetail.scraper;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.ninetail.scraper.ExtractionOptionsTest.texts;
import static io.ninetail.scraper.Scraping.JSON;
import static io.ninetail.scraper.Scraping.page;
import static io.ninetail.scraper.Scraping.scrape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pages like the ones users scrape (src/test/resources/pages), and what comes out of them. */
class RealisticPagesTest {

    private static final String NEWS_URL = "https://news.example/";
    private static final String SHOP_URL = "https://shop.example/de/kitchen/small-appliances?page=2";

    @Test
    void newsFrontPageGivesEveryLinkAbsolute() {
        JsonNode out = scrape(page("news-front-page.html"), NEWS_URL, """
                {"links": {"selector": "a[href]", "attribute": "href", "all": true}}""");
        List<String> links = texts(out.get("links"));
        assertEquals(67, links.size());
        assertEquals("https://news.example/#main", links.get(0));
        assertTrue(links.contains("https://news.example/world/2026/11/25/summit-ends-with-climate-fund-deal"));
        assertTrue(links.contains("https://podcasts.news.example/daily"), "protocol-relative takes the page's scheme");
        assertTrue(links.contains("https://weather.example.org/forecast?city=london&days=5"), "entities decoded");
        assertTrue(links.contains("https://news.example/archive/2026/"));
        assertTrue(links.contains("https://news.example/legal/cookies#settings"));
        assertTrue(links.contains("mailto:newsdesk@news.example"));
        assertTrue(links.contains("javascript:void(0)"));
        assertTrue(links.stream().allMatch(link -> link.matches("^(https://|mailto:|javascript:).+")), links.toString());
    }

    @Test
    void newsFrontPageGivesHeadlinesBySectionAndTheTopStory() {
        JsonNode out = scrape(page("news-front-page.html"), NEWS_URL, """
                {"site": {"selector": "title"},
                 "topStory": {"selector": ".top-story article", "fields": {
                    "headline": {"selector": ".headline"},
                    "url": {"selector": ".headline a", "attribute": "href"},
                    "standfirst": {"selector": ".standfirst"},
                    "author": {"selector": ".byline a"},
                    "published": {"selector": "time", "attribute": "datetime"},
                    "image": {"selector": "img", "attribute": "src"}}},
                 "headlines": {"selector": "article.story h3 a", "all": true},
                 "latest": {"selector": "article.story h3 a", "limit": 5},
                 "sections": {"selector": "section.section", "all": true, "fields": {
                    "name": {"selector": ".section-title"},
                    "stories": {"selector": "article", "limit": 3, "fields": {
                        "title": {"selector": "h3"},
                        "byline": {"selector": ".byline"}}}}},
                 "opinion": {"selector": ".opinion li a", "all": true},
                 "comments": {"selector": ".comments li", "all": true}}""");

        assertEquals("The Daily Tail – News, sport and opinion", out.get("site").textValue());
        assertEquals(JSON.createObjectNode()
                .put("headline", "Summit ends with climate fund deal")
                .put("url", "https://news.example/world/2026/11/25/summit-ends-with-climate-fund-deal")
                .put("standfirst", "Negotiators agreed a $300bn fund after talks ran through the night.")
                .put("author", "Amara Osei")
                .put("published", "2026-11-25T06:12:00Z")
                .put("image", "https://news.example/media/2026/11/summit.jpg"), out.get("topStory"));
        assertEquals(32, out.get("headlines").size());
        assertEquals(texts(out.get("headlines")).subList(0, 5), texts(out.get("latest")));
        assertEquals(4, out.get("sections").size());
        JsonNode sport = out.get("sections").get(3);
        assertEquals("Sport", sport.get("name").textValue());
        assertEquals(3, sport.get("stories").size());
        assertEquals("Late penalty sends holders into the quarter-finals", sport.get("stories").get(0).get("title").textValue());
        assertTrue(sport.get("stories").get(0).get("byline").textValue().startsWith("By "));
        assertEquals(List.of("The four-day week deserves a fair trial", "Our rivers need more than promises",
                "In defence of the humble bus", "What the census really tells us", "Stop building car parks",
                "Libraries are infrastructure"), texts(out.get("opinion")));
        assertEquals(JSON.createArrayNode(), out.get("comments"), "no comments section on this page");
    }

    @Test
    void productListingGivesOneRecordPerProductWithNestedVariants() throws Exception {
        JsonNode out = scrape(page("product-listing.html"), SHOP_URL, """
                {"category": {"selector": "h1", "ownText": true},
                 "products": {"selector": "li.product", "all": true, "fields": {
                    "sku": {"attribute": "data-sku"},
                    "name": {"selector": ".name"},
                    "url": {"selector": "a.product-link", "attribute": "href"},
                    "image": {"selector": "img", "attribute": "src"},
                    "price": {"selector": ".price", "ownText": true},
                    "oldPrice": {"selector": ".old-price"},
                    "rating": {"selector": ".rating", "attribute": "title"},
                    "tags": {"selector": ".tags li", "all": true},
                    "variants": {"selector": ".variant", "all": true, "fields": {
                        "color": {"attribute": "data-color"},
                        "label": {"ownText": true},
                        "stock": {"selector": ".stock"}}}}},
                 "next": {"selector": "a[rel=next]", "attribute": "href"}}""");

        assertEquals("Small kitchen appliances", out.get("category").textValue());
        assertEquals(12, out.get("products").size());
        assertEquals(JSON.readTree("""
                {"sku": "K-100", "name": "Stainless Steel Kettle 1.7 l",
                 "url": "https://shop.example/de/p/k-100",
                 "image": "https://shop.example/media/products/k-100.jpg",
                 "price": "24.90", "oldPrice": "€29.90", "rating": "4.6 out of 5",
                 "tags": ["Bestseller", "Eco mode"],
                 "variants": [{"color": "silver", "label": "Silver", "stock": "in stock"},
                              {"color": "black", "label": "Matt black", "stock": "in stock"}]}"""),
                out.get("products").get(0));
        JsonNode coffee = out.get("products").get(4);
        assertEquals("C-300", coffee.get("sku").textValue());
        assertTrue(coffee.get("image").isNull(), "no picture yet");
        assertTrue(coffee.get("oldPrice").isNull());
        assertTrue(coffee.get("rating").isNull());
        assertEquals(JSON.createArrayNode(), coffee.get("tags"));
        assertEquals("Espresso Machine \"Barista Pro\"", out.get("products").get(5).get("name").textValue());
        assertEquals("Hand Blender & Whisk Set", out.get("products").get(6).get("name").textValue());
        assertEquals("https://shop.example/de/kitchen/small-appliances?page=3", out.get("next").textValue());
    }

    @Test
    void brokenMarkupIsRepairedTheWayBrowsersRepairIt() {
        JsonNode out = scrape(page("broken-markup.html"), "https://parish.example/news/index.html", """
                {"title": {"selector": "title"},
                 "heading": {"selector": "#header h1"},
                 "crest": {"selector": "#header img", "attribute": "src"},
                 "notices": {"selector": "p.notice", "all": true},
                 "minutes": {"selector": "#minutes li", "all": true, "fields": {
                     "name": {"selector": "a"}, "url": {"selector": "a", "attribute": "href"}}},
                 "fixtures": {"selector": "#fixtures tr:has(td)", "all": true, "fields": {
                     "date": {"selector": "td:eq(0)"}, "event": {"selector": "td:eq(1)"}, "place": {"selector": "td:eq(2)"}}},
                 "italic": {"selector": "p.notice i"},
                 "contact": {"selector": "p.contact"},
                 "footer": {"selector": ".footer p", "all": true}}""");

        assertEquals("Parish Council & Village News", out.get("title").textValue());
        assertEquals("Little Whitby Parish Council", out.get("heading").textValue());
        assertEquals("https://parish.example/news/images/crest.gif", out.get("crest").textValue());
        assertEquals(List.of("Next meeting: Tuesday 2 December, 7.30pm in the village hall",
                "Bins will be collected on Saturday this week"), texts(out.get("notices")));
        assertEquals(4, out.get("minutes").size(), "each unclosed <li> ends at the next one");
        assertEquals("September minutes", out.get("minutes").get(2).get("name").textValue());
        assertEquals("https://parish.example/news/minutes/2026-09.pdf", out.get("minutes").get(2).get("url").textValue());
        assertEquals("https://parish.example/archive/index.php?year=2026&month=08",
                out.get("minutes").get(3).get("url").textValue());
        assertEquals(3, out.get("fixtures").size());
        assertEquals(JSON.createObjectNode().put("date", "13 Dec").put("event", "Carol singing").put("place", "St Mary's church"),
                out.get("fixtures").get(1));
        assertEquals("Saturday", out.get("italic").textValue());
        String contact = out.get("contact").textValue();
        assertTrue(contact.startsWith("Clerk: Mrs J. Hartley, Tel 01947 000000 © 2026"), contact);
        assertTrue(contact.endsWith("— rates £12 & up"), "entities without ';' are decoded: " + contact);
        assertEquals(List.of("Built with FrontPage", "Last updated 20/11/2026"), texts(out.get("footer")));
    }

    /**
     * The page's bytes are windows-1252. {@code html} is text, so whoever turned the bytes into
     * text (fetch, from the Content-Type charset) decides the characters; the scraper sees them
     * as given, whatever the page's {@code <meta>} says.
     */
    @Test
    void aWindows1252PageDecodedWithItsCharsetKeepsItsAccentsEuroSignsAndQuotes() {
        byte[] bytes = Scraping.pageBytes("cafe-windows-1252.html");
        assertThrows(CharacterCodingException.class, () -> StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)),
                "the test page really is not UTF-8");
        String html = new String(bytes, Charset.forName("windows-1252"));

        JsonNode out = scrape(html, "https://cafe-mueller.example/karte/", """
                {"name": {"selector": "h1"},
                 "motto": {"selector": ".motto"},
                 "menu": {"selector": "table.menu tr", "all": true, "fields": {
                     "dish": {"selector": ".dish"}, "price": {"selector": ".price"}}},
                 "hours": {"selector": ".hours"},
                 "reserve": {"selector": "a", "attribute": "href"}}""");

        assertEquals("Café Müller – Speisekarte", out.get("name").textValue());
        assertEquals("„Kaffee wie früher“ — seit 1952 in der Königstraße", out.get("motto").textValue());
        assertEquals(JSON.createObjectNode().put("dish", "Crème brûlée").put("price", "6,50 €"), out.get("menu").get(0));
        assertEquals("Œufs à la neige", out.get("menu").get(3).get("dish").textValue());
        assertEquals("Öffnungszeiten: Mo–Sa 8–18 Uhr · So geschlossen", out.get("hours").textValue());
        assertTrue(out.get("reserve").textValue().startsWith("https://cafe-mueller.example/karte/reservierung.html?tisch=2&"),
                out.get("reserve").textValue());
    }

    @Test
    void aTwoMegabytePageIsScrapedWhole() {
        StringBuilder html = new StringBuilder("<html><head><title>Inventory</title></head><body><table id=stock>\n");
        int rows = 0;
        while (html.length() < 2 * 1024 * 1024) {
            rows++;
            html.append("<tr class=item data-id=").append(rows).append("><td class=name>Item ").append(rows)
                    .append(" <small>(bulk)</small></td><td class=qty>").append(rows % 97)
                    .append("</td><td><a href=\"/items/").append(rows).append("\">details</a></td></tr>\n");
        }
        html.append("</table><p id=end>End of inventory</p></body></html>");

        JsonNode out = scrape(html.toString(), "https://warehouse.example/stock", """
                {"ids": {"selector": "tr.item", "attribute": "data-id", "all": true},
                 "firstThree": {"selector": "tr.item", "limit": 3, "fields": {
                     "name": {"selector": ".name", "ownText": true}, "qty": {"selector": ".qty"},
                     "url": {"selector": "a", "attribute": "href"}}},
                 "end": {"selector": "#end"},
                 "missing": {"selector": "tr.archived", "all": true}}""");

        assertEquals(rows, out.get("ids").size());
        assertEquals(Integer.toString(rows), out.get("ids").get(rows - 1).textValue(), "the last row is there too");
        assertEquals(JSON.createObjectNode().put("name", "Item 2").put("qty", "2").put("url", "https://warehouse.example/items/2"),
                out.get("firstThree").get(1));
        assertEquals(3, out.get("firstThree").size());
        assertEquals("End of inventory", out.get("end").textValue());
        assertEquals(JSON.createArrayNode(), out.get("missing"));
    }
}
