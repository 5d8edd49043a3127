package io.ninetail.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The page the webhook scenario scrapes: about 20 KB of HTML with a title and 50 links, written
 * relative so that the scraper has to make them absolute, and what a correct scrape of it is.
 *
 * @param html  the page
 * @param title the text of its {@code <title>}
 * @param links every {@code a[href]}, absolute against the page's own URL
 */
public record ScrapePage(String html, String title, List<String> links) {

    public static final int LINKS = 50;
    static final int TARGET_BYTES = 20_000;
    static final String PATH = "/page";

    /** The page as served from {@code origin} (e.g. {@code http://127.0.0.1:4711}). */
    public static ScrapePage at(String origin) {
        String title = "Ninetail bench gazette";
        List<String> links = new ArrayList<>();
        StringBuilder html = new StringBuilder(TARGET_BYTES + 1024)
                .append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(title).append("</title></head>\n<body><h1>").append(title).append("</h1>\n<ul>\n");
        for (int i = 1; i <= LINKS; i++) {
            String href = String.format("/articles/%02d.html", i);
            links.add(origin + href);
            html.append("<li><a href=\"").append(href).append("\">Article ").append(i).append("</a> ")
                    .append("<span class=\"by\">by the bench</span></li>\n");
        }
        html.append("</ul>\n");
        // Text without links, to make the page the size of a real article list.
        int paragraph = 0;
        while (html.length() < TARGET_BYTES - 40) {
            html.append("<p>Paragraph ").append(++paragraph)
                    .append(": nine tails swept over the harbour while the JetStream ran its course.</p>\n");
        }
        html.append("</body></html>\n");
        return new ScrapePage(html.toString(), title, List.copyOf(links));
    }
}
