package io.ninetail.scraper;

import io.ninetail.core.event.Event;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Input events as the scheduler sends them to the html-scraper function, and a page that uses every parameter. */
final class ScraperEvents {

    static final String RELEASE_NOTES_URL = "https://blog.example/news/release-2-0.html";

    /** A blog post with something for every option of an extraction. */
    static final String RELEASE_NOTES = """
            <html><head><title>Release notes</title></head><body>
            <article class="post">
              <h1>  Release   notes 2.0 </h1>
              <p class="summary">Faster <em>and</em> smaller.</p>
              <ul class="changes"><li>New parser</li><li>Streaming output</li><li>Fewer allocations</li><li>Docs</li></ul>
              <a class="more" href="../posts/2-0">Read more</a>
              <div class="authors">
                <span class="author" data-handle="ana">Ana <a href="/u/ana">profile</a></span>
                <span class="author" data-handle="ben">Ben <a href="/u/ben">profile</a></span>
              </div>
            </article>
            </body></html>""";

    /** Every option of {@code extract}, on {@link #RELEASE_NOTES}. */
    static final String EVERY_OPTION = """
            {"title":    {"selector": "h1"},
             "titleRaw": {"selector": "h1", "trim": false},
             "summary":  {"selector": ".summary", "html": true},
             "summaryElement": {"selector": ".summary", "outerHtml": true},
             "more":     {"selector": "a.more", "attribute": "href"},
             "changes":  {"selector": ".changes li", "all": true},
             "topChanges": {"selector": ".changes li", "limit": 2},
             "authors":  {"selector": ".author", "all": true, "fields": {
                            "name":    {"ownText": true},
                            "handle":  {"attribute": "data-handle"},
                            "profile": {"selector": "a", "attribute": "href"}}},
             "comment":  {"selector": ".comments p"},
             "comments": {"selector": ".comments p", "all": true}}""";

    /** What {@link #EVERY_OPTION} gives. */
    static final String EVERY_OPTION_OUTPUT = """
            {"title": "Release notes 2.0",
             "titleRaw": "  Release   notes 2.0 ",
             "summary": "Faster <em>and</em> smaller.",
             "summaryElement": "<p class=\\"summary\\">Faster <em>and</em> smaller.</p>",
             "more": "https://blog.example/posts/2-0",
             "changes": ["New parser", "Streaming output", "Fewer allocations", "Docs"],
             "topChanges": ["New parser", "Streaming output"],
             "authors": [{"name": "Ana", "handle": "ana", "profile": "https://blog.example/u/ana"},
                         {"name": "Ben", "handle": "ben", "profile": "https://blog.example/u/ben"}],
             "comment": null,
             "comments": []}""";

    private ScraperEvents() {
    }

    static String newRunId() {
        return "run-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Event input(String runId, String blockId, byte[] parametersJson) {
        return new Event("in-" + UUID.randomUUID(), "/ninetail/scheduler", "block.html-scraper.input",
                OffsetDateTime.now(ZoneOffset.UTC), runId, blockId, 1, parametersJson);
    }
}
