package io.ninetail.scraper;

import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * The packaged app (the jar here; the native binary with -Dnative) reads its typed parameters and
 * writes its output: what a native image needs registered for reflection.
 */
@QuarkusIntegrationTest
@WithTestResource(NatsServerResource.class)
class HtmlScraperIT {

    @Test
    void extractsTextsAttributesAndNestedRecords() {
        given()
                .header("ce-specversion", "1.0")
                .header("ce-id", "evt-it")
                .header("ce-source", "/test")
                .header("ce-type", "block.html-scraper.input")
                .header("ce-runid", "run-it")
                .header("ce-blockid", "heads")
                .contentType("application/json")
                .body("""
                        {"html": "<h1> Hello </h1><ul><li class=p><a href=/a>A</a><b>3</b></li><li class=p><a href=b>B</a><b>4</b></li></ul>",
                         "baseUrl": "https://example.com/news/",
                         "extract": {"title": {"selector": "h1"},
                                     "links": {"selector": "a[href]", "attribute": "href", "all": true},
                                     "products": {"selector": "li.p", "all": true, "limit": 1,
                                                  "fields": {"name": {"selector": "a"}, "price": {"selector": "b"}}}}}""")
        .when()
                .post("/")
        .then()
                .statusCode(200)
                .header("ce-type", "block.html-scraper.output")
                .body("title", equalTo("Hello"))
                .body("links[0]", equalTo("https://example.com/a"))
                .body("links[1]", equalTo("https://example.com/news/b"))
                .body("products[0].name", equalTo("A"))
                .body("products[0].price", equalTo("3"));
    }
}
