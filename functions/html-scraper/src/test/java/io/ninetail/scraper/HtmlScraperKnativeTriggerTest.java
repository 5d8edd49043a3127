package io.ninetail.scraper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The html-scraper function as Knative Eventing calls it: a CloudEvent POSTed over HTTP, the result in the reply. */
@QuarkusTest
@WithTestResource(NatsServerResource.class)
class HtmlScraperKnativeTriggerTest {

    @Inject
    ObjectMapper mapper;

    @Test
    void binaryModeInputIsAnsweredWithTheExtractedValues() throws Exception {
        Response reply = binaryEvent("evt-1", "block.html-scraper.input", "heads")
                .header("ce-attempt", "2")
                .body(mapper.writeValueAsBytes(Scraping.with(ScraperEvents.RELEASE_NOTES,
                        ScraperEvents.RELEASE_NOTES_URL, ScraperEvents.EVERY_OPTION)))
        .when()
                .post("/");

        reply.then()
                .statusCode(200)
                .header("ce-type", "block.html-scraper.output")
                .header("ce-id", "evt-1/output")
                .header("ce-source", "/ninetail/functions/html-scraper")
                .header("ce-runid", "run-http")
                .header("ce-blockid", "heads")
                .header("ce-attempt", "2");
        assertEquals(mapper.readTree(ScraperEvents.EVERY_OPTION_OUTPUT), mapper.readTree(reply.asByteArray()));
    }

    @Test
    void invalidSelectorIsAnsweredWithAPermanentInvalidParametersError() {
        binaryEvent("evt-2", "block.html-scraper.input", "prices")
                .body("""
                        {"html": "<ul><li class=product><span class=price>3</span></li></ul>",
                         "extract": {"products": {"selector": "li.product", "all": true,
                                      "fields": {"price": {"selector": "span.price:eq(one)"}}}}}""")
        .when()
                .post("/")
        .then()
                .statusCode(200)
                .header("ce-type", "block.html-scraper.error")
                .header("ce-id", "evt-2/error")
                .body("code", equalTo("INVALID_PARAMETERS"))
                .body("retryable", equalTo(false))
                .body("message", startsWith(
                        "parameter 'extract.products.fields.price': invalid CSS selector 'span.price:eq(one)'"));
    }

    @Test
    void pageLargerThanOneNatsMessageIsScrapedOverHttp() throws Exception {
        StringBuilder html = new StringBuilder("<html><body><ol id=log>");
        int lines = 0;
        while (html.length() < 2 * 1024 * 1024) {
            lines++;
            html.append("<li class=entry data-n=").append(lines).append(">request ").append(lines).append(" served</li>");
        }
        html.append("</ol><p id=summary>").append(lines).append(" requests</p></body></html>");

        Response reply = binaryEvent("evt-3", "block.html-scraper.input", "log")
                .body(mapper.writeValueAsBytes(Scraping.with(html.toString(), null, """
                        {"summary": {"selector": "#summary"}, "last": {"selector": "li.entry:last-child"},
                         "firstTwo": {"selector": "li.entry", "limit": 2}}""")))
        .when()
                .post("/");

        reply.then().statusCode(200).header("ce-type", "block.html-scraper.output");
        JsonNode data = mapper.readTree(reply.asByteArray());
        assertEquals(lines + " requests", data.get("summary").textValue());
        assertEquals("request " + lines + " served", data.get("last").textValue());
        assertEquals(mapper.readTree("[\"request 1 served\", \"request 2 served\"]"), data.get("firstTwo"));
        assertTrue(html.length() > 1024 * 1024, "more than NATS' default 1 MiB message limit");
    }

    @Test
    void otherBlockTypesAreNotRoutedHere() {
        binaryEvent("evt-4", "block.fetch.input", "page")
                .body("{\"url\": \"http://127.0.0.1/\"}")
        .when()
                .post("/")
        .then()
                .statusCode(404);
    }

    private static RequestSpecification binaryEvent(String id, String type, String blockId) {
        return given()
                .header("ce-specversion", "1.0")
                .header("ce-id", id)
                .header("ce-source", "/test")
                .header("ce-type", type)
                .header("ce-runid", "run-http")
                .header("ce-blockid", blockId)
                .contentType("application/json");
    }
}
