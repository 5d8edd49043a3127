package io.ninetail.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WorkflowsTest {

    @Test
    void aChainOfTransformsEachNeedingTheOneBefore() {
        JsonNode chain = Workflows.transformChain("bench-hop-10", 10);

        JsonNode blocks = chain.path("blocks");
        assertEquals(10, blocks.size());
        assertEquals("{\"id\":\"t1\",\"type\":\"transform\",\"with\":{\"value\":1}}", blocks.get(0).toString());
        assertEquals("{\"id\":\"t10\",\"type\":\"transform\",\"needs\":[\"t9\"],\"with\":{\"value\":\"${ .t9 + 1 }\"}}",
                blocks.get(9).toString());
    }

    @Test
    void theFanOutFetchesAllAtOnceAndJoinsThemInOneBlock() {
        List<String> urls = IntStream.rangeClosed(1, 50).mapToObj(i -> "http://127.0.0.1:1/small?i=" + i).toList();

        JsonNode blocks = Workflows.fanOut(urls).path("blocks");

        assertEquals(51, blocks.size());
        assertEquals("{\"id\":\"f07\",\"type\":\"fetch\",\"with\":{\"url\":\"http://127.0.0.1:1/small?i=7\"}}",
                blocks.get(6).toString());
        JsonNode join = blocks.get(50);
        assertEquals("join", join.path("id").asText());
        assertEquals(50, join.path("needs").size());
    }

    @Test
    void theScrapeWebhookFetchesWhatTheCallerPostsAndAnswersTheScrape() {
        JsonNode blocks = Workflows.scrape().path("blocks");

        assertEquals("bench-scrape", blocks.get(0).path("with").path("path").asText());
        assertEquals("${ .trigger.body.url }", blocks.get(1).path("with").path("url").asText());
        assertEquals("{\"title\":{\"selector\":\"title\"},\"links\":{\"selector\":\"a[href]\",\"attribute\":\"href\",\"all\":true}}",
                blocks.get(2).path("with").path("extract").toString());
        assertEquals("${ .scrape }", blocks.get(3).path("with").path("body").asText());
    }

    @Test
    void theExtraHopScrapeHasOneTransformBetweenScraperAndResponseOnItsOwnPath() {
        JsonNode workflow = Workflows.scrapeWithExtraHop();
        JsonNode blocks = workflow.path("blocks");

        assertEquals("bench-scrape-extra-hop", workflow.path("name").asText());
        assertEquals(List.of("trigger", "page", "scrape", "shape", "reply"),
                blocks.findValues("id").stream().map(JsonNode::asText).toList());
        assertEquals("bench-scrape-extra-hop", blocks.get(0).path("with").path("path").asText());
        assertEquals("{\"id\":\"shape\",\"type\":\"transform\",\"needs\":[\"scrape\"],\"with\":{\"value\":\"${ .scrape }\"}}",
                blocks.get(3).toString());
        assertEquals("[\"shape\"]", blocks.get(4).path("needs").toString());
        assertEquals("${ .shape }", blocks.get(4).path("with").path("body").asText());
        assertEquals("bench-scrape", Workflows.scrape().path("blocks").get(0).path("with").path("path").asText(),
                "the plain scrape is left as it was");
    }
}
