package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.ninetail.core.event.NatsEventCodec;
import io.ninetail.scheduler.RunDriver.Ended;
import io.ninetail.scheduler.RunDriver.Started;
import io.ninetail.testing.AppProcess;
import io.ninetail.testing.JetStreamProbe;
import io.ninetail.testing.LocalHttpServer.Reply;
import io.ninetail.testing.LocalHttpServer;
import io.ninetail.testing.NatsServerResource.RunningNats;
import io.ninetail.testing.NatsServerResource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real scheduler, fetch and html-scraper as separate processes: a page twice the size of a
 * NATS message goes from fetch to html-scraper through the payload store, and nobody notices.
 */
class LargePagePipelineIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final int LINKS = 20_000;

    @Test
    void pageLargerThanOneMessageFlowsFromFetchToHtmlScraper() throws Exception {
        StringBuilder page = new StringBuilder("<html><head><title>Big</title></head><body><h1>Archive</h1>");
        for (int i = 0; i < LINKS; i++) {
            page.append("<p><a href=\"/item/").append(i).append("\">Item number ").append(i).append("</a> — ")
                    .append("a line of filler text to make the page heavier than two megabytes</p>\n");
        }
        page.append("</body></html>");
        assertTrue(page.length() > 2 * 1024 * 1024, "the page is over 2 MB: " + page.length());
        Path functions = Path.of(System.getProperty("ninetail.app.dir", "target/quarkus-app")).getParent().getParent()
                .getParent();
        try (LocalHttpServer site = new LocalHttpServer().route("/archive",
                     request -> Reply.text(200, "text/html; charset=utf-8", page.toString()));
             RunningNats nats = NatsServerResource.startServer();
             JetStreamProbe probe = new JetStreamProbe(nats.url())) {
            Map<String, String> config = Map.of("quarkus.messaging.nats.connection.servers", nats.url(),
                    "ninetail.fetch.allow-loopback", "true");
            try (AppProcess scheduler = AppProcess.start("scheduler", functions.resolve("scheduler/target/quarkus-app"), config)
                         .awaitReady(START);
                 AppProcess fetch = AppProcess.start("fetch", functions.resolve("fetch/target/quarkus-app"), config)
                         .awaitReady(START);
                 AppProcess scraper = AppProcess.start("html-scraper",
                         functions.resolve("html-scraper/target/quarkus-app"), config).awaitReady(START)) {
                Subscription pageOutput = probe.subscribe("block.fetch.*.page.output");
                Subscription scraperInput = probe.subscribe("block.html-scraper.*.links.input");
                Started run = new RunDriver(probe).start("""
                        {"name": "archive", "blocks": [
                          {"id": "page", "type": "fetch", "with": {"url": "%s"}},
                          {"id": "links", "type": "html-scraper", "needs": ["page"],
                           "with": {"extract": {"title": {"selector": "h1"},
                                                "links": {"selector": "a[href]", "attribute": "href", "all": true}}}}
                        ]}""".formatted(site.url("/archive")), "{}");

                Ended end = new RunDriver(probe).awaitEnd(run, Duration.ofSeconds(60));

                assertEquals("complete", end.status(), end.data().toString());
                JsonNode output = end.data().get("output").get("links");
                assertEquals("Archive", output.get("title").asText());
                assertEquals(LINKS, output.get("links").size());
                assertEquals(site.url("/item/0"), output.get("links").get(0).asText(), "relative links come out absolute");

                // Both legs that carry the page went through the payload store, as references.
                assertCarriesAReference(JetStreamProbe.next(pageOutput, Duration.ofSeconds(5)));
                assertCarriesAReference(JetStreamProbe.next(scraperInput, Duration.ofSeconds(5)));
            }
        }
    }

    private static void assertCarriesAReference(Message message) {
        String reference = message.getHeaders() == null ? null : message.getHeaders().getFirst(NatsEventCodec.DATA_REF);
        assertNotNull(reference, message.getSubject() + " names its data in the payload store");
        assertTrue(message.getData() == null || message.getData().length < 1024,
                message.getSubject() + " carries the reference, not the page: " + message.getData().length + " bytes");
    }
}
