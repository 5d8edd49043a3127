package io.ninetail.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * One call of the scrape webhook and the check of its answer: HTTP 200 with the page's title
 * and its 50 links, absolute and in order. Anything else is a {@link WrongAnswer}.
 */
public final class ScrapeWorkload {

    private final ApiClient api;
    private final PageServer pages;
    private final ObjectNode workflow;
    private final String hookPath;
    private final String body;

    /** The webhook scrape: {@link Workflows#scrape()}. */
    public ScrapeWorkload(ApiClient api, PageServer pages) {
        this(api, pages, Workflows.scrape(), Workflows.SCRAPE_HOOK);
    }

    private ScrapeWorkload(ApiClient api, PageServer pages, ObjectNode workflow, String hookPath) {
        this.api = api;
        this.pages = pages;
        this.workflow = workflow;
        this.hookPath = hookPath;
        this.body = ApiClient.JSON.createObjectNode().put("url", pages.pageUrl()).toString();
    }

    /** The same scrape with a transform between html-scraper and response: {@link Workflows#scrapeWithExtraHop()}. */
    public static ScrapeWorkload withExtraHop(ApiClient api, PageServer pages) {
        return new ScrapeWorkload(api, pages, Workflows.scrapeWithExtraHop(), Workflows.SCRAPE_EXTRA_HOP);
    }

    public void register() throws IOException, InterruptedException {
        api.register(workflow);
    }

    public void call() throws Exception {
        HttpResponse<String> answer = api.hook(hookPath, body);
        check(answer.statusCode(), answer.body(), pages.page());
    }

    static void check(int status, String body, ScrapePage page) throws WrongAnswer {
        if (status != 200) {
            throw new WrongAnswer("HTTP " + status + " " + ApiClient.abbreviate(body));
        }
        JsonNode scraped;
        try {
            scraped = ApiClient.JSON.readTree(body);
        } catch (Exception e) {
            throw new WrongAnswer("not JSON: " + ApiClient.abbreviate(body));
        }
        if (!page.title().equals(scraped.path("title").asText(null))) {
            throw new WrongAnswer("title " + scraped.path("title") + ", expected \"" + page.title() + "\"");
        }
        List<String> links = new ArrayList<>();
        scraped.path("links").forEach(link -> links.add(link.asText()));
        if (!links.equals(page.links())) {
            throw new WrongAnswer(links.size() + " links, expected the page's " + page.links().size()
                    + (links.isEmpty() ? "" : " (first: " + links.get(0) + ")"));
        }
    }
}
