package io.ninetail.scraper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.ninetail.core.event.Event;
import io.ninetail.core.event.NatsEventCodec;
import io.ninetail.core.nats.Subjects.BlockAddress;
import io.ninetail.core.nats.Subjects.BlockLeg;
import io.ninetail.core.nats.Topology;
import io.ninetail.testing.JetStreamProbe;
import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The html-scraper function driven the way the scheduler drives it: events in and out of JetStream. */
@QuarkusTest
@WithTestResource(NatsServerResource.class)
class HtmlScraperJetStreamTriggerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @ConfigProperty(name = "quarkus.messaging.nats.connection.servers")
    String natsUrl;

    @Inject
    ObjectMapper mapper;

    private JetStreamProbe nats;

    @BeforeEach
    void connect() {
        nats = new JetStreamProbe(natsUrl);
    }

    @AfterEach
    void disconnect() {
        nats.close();
    }

    @Test
    void inputOnJetStreamYieldsTheExtractedValuesAsOutputEvent() throws Exception {
        String runId = ScraperEvents.newRunId();
        BlockAddress heads = new BlockAddress("html-scraper", runId, "heads");
        Subscription results = nats.subscribe("block.html-scraper." + runId + ".>");

        nats.publish(heads.subject(BlockLeg.INPUT), ScraperEvents.input(runId, "heads", parameters(
                ScraperEvents.RELEASE_NOTES, ScraperEvents.RELEASE_NOTES_URL, ScraperEvents.EVERY_OPTION)));

        Message result = JetStreamProbe.nextResult(results, WAIT);
        assertEquals(heads.subject(BlockLeg.OUTPUT), result.getSubject());
        Event output = NatsEventCodec.decode(result.getHeaders(), result.getData());
        assertEquals("block.html-scraper.output", output.type());
        assertEquals(runId, output.runId());
        assertEquals("heads", output.blockId());
        assertEquals(1, output.attempt());
        assertEquals(mapper.readTree(ScraperEvents.EVERY_OPTION_OUTPUT), mapper.readTree(output.data()));
        // Stored in the results stream for the scheduler, not only broadcast.
        assertEquals(1, nats.messagesOn(Topology.BLOCK_RESULT_STREAM, heads.subject(BlockLeg.OUTPUT)));
    }

    @Test
    void invalidSelectorIsAPermanentInvalidParametersErrorNamingTheExtractionAndSelector() throws Exception {
        String runId = ScraperEvents.newRunId();
        BlockAddress prices = new BlockAddress("html-scraper", runId, "prices");
        Subscription results = nats.subscribe("block.html-scraper." + runId + ".>");

        nats.publish(prices.subject(BlockLeg.INPUT), ScraperEvents.input(runId, "prices", parameters(
                "<span class=price>3</span>", null, """
                        {"price": {"selector": "span.price["}}""")));

        Message result = JetStreamProbe.nextResult(results, WAIT);
        assertEquals(prices.subject(BlockLeg.ERROR), result.getSubject());
        Event error = NatsEventCodec.decode(result.getHeaders(), result.getData());
        assertEquals("block.html-scraper.error", error.type());
        JsonNode data = mapper.readTree(error.data());
        assertEquals("INVALID_PARAMETERS", data.get("code").asText());
        assertFalse(data.get("retryable").asBoolean());
        assertTrue(data.get("message").asText().startsWith("parameter 'extract.price': invalid CSS selector 'span.price['"),
                data.toString());
    }

    @Test
    void productListingComesOutAsOneRecordPerProduct() throws Exception {
        String runId = ScraperEvents.newRunId();
        BlockAddress products = new BlockAddress("html-scraper", runId, "products");
        Subscription results = nats.subscribe("block.html-scraper." + runId + ".>");

        nats.publish(products.subject(BlockLeg.INPUT), ScraperEvents.input(runId, "products", parameters(
                Scraping.page("product-listing.html"), "https://shop.example/de/kitchen/small-appliances?page=2", """
                        {"products": {"selector": "li.product", "all": true, "fields": {
                            "sku": {"attribute": "data-sku"},
                            "name": {"selector": ".name"},
                            "url": {"selector": "a.product-link", "attribute": "href"}}}}""")));

        JsonNode data = outputData(JetStreamProbe.nextResult(results, WAIT));
        assertEquals(12, data.get("products").size());
        assertEquals(mapper.readTree("""
                {"sku": "W-010", "name": "Waffle Iron, Belgian", "url": "https://shop.example/de/p/w-010"}"""),
                data.get("products").get(11));
    }

    @Test
    void nonUtf8PageDecodedUpstreamTravelsAsJsonTextAndKeepsItsCharacters() throws Exception {
        String runId = ScraperEvents.newRunId();
        BlockAddress cafe = new BlockAddress("html-scraper", runId, "cafe");
        Subscription results = nats.subscribe("block.html-scraper." + runId + ".>");
        // What fetch hands on for "Content-Type: text/html; charset=windows-1252".
        String html = Scraping.page("cafe-windows-1252.html", Charset.forName("windows-1252"));

        nats.publish(cafe.subject(BlockLeg.INPUT), ScraperEvents.input(runId, "cafe", parameters(html, null, """
                {"name": {"selector": "h1"}, "dishes": {"selector": ".dish", "all": true}}""")));

        JsonNode data = outputData(JetStreamProbe.nextResult(results, WAIT));
        assertEquals("Café Müller – Speisekarte", data.get("name").textValue());
        assertEquals("Crème brûlée", data.get("dishes").get(0).textValue());
        assertEquals("Œufs à la neige", data.get("dishes").get(3).textValue());
    }

    private byte[] parameters(String html, String baseUrl, String extractJson) throws Exception {
        return mapper.writeValueAsBytes(Scraping.with(html, baseUrl, extractJson));
    }

    private JsonNode outputData(Message message) throws Exception {
        Event event = NatsEventCodec.decode(message.getHeaders(), message.getData());
        assertEquals("block.html-scraper.output", event.type(), () -> new String(event.data()));
        return mapper.readTree(event.data());
    }
}
