package io.ninetail.bench;

import com.fasterxml.jackson.databind.JsonNode;

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
    private final String body;

    public ScrapeWorkload(ApiClient api, PageServer pages) {
        this.api = api;
        this.pages = pages;
        this.body = ApiClient.JSON.createObjectNode().put("url", pages.pageUrl()).toString();
    }

    public void register() throws IOException, InterruptedException {
        api.register(Workflows.scrape());
    }

    public void call() throws Exception {
        HttpResponse<String> answer = api.hook(Workflows.SCRAPE_HOOK, body);
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
