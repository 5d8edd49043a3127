package io.ninetail.scraper;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quick way gives exactly what jsoup's {@code absUrl} gives, link by link. */
class LinkResolverTest {

    private static final List<String> HREFS = List.of(
            "/a", "b/c", "../up", "./same", "?q=1", "#top", "", " spaced ", "//cdn.example/x.js",
            "https://other.example/p?x=1#f", "HTTP://UPPER.example/", "mailto:a@b.example", "javascript:void(0)",
            "tel:+41", "data:text/plain,hi", "\tcontrol\nchars", "%zz", "/ümlaut/ö", "http://[::1]:8080/v6",
            "http://bad host/", "https://münchen.example/", "foo:bar", "http:relative", "/a/../../b", "..", ".");

    @ParameterizedTest
    @ValueSource(strings = {"https://news.example/section/page.html?id=7", "http://127.0.0.1:8080/",
            "https://news.example", "", "not a url", "https://base.example/with\ttab"})
    void everyLinkComesOutAsJsoupsAbsUrlWouldHaveIt(String baseUri) {
        assertSameAsJsoup(page(baseUri, ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://cdn.example/root/", "/relative/base/", "mailto:x@y.example"})
    void aBaseTagIsHonouredAsJsoupHonoursIt(String baseHref) {
        Document page = page("https://news.example/section/page.html", "<base href=\"" + baseHref + "\">");
        assertSameAsJsoup(page);
    }

    private static Document page(String baseUri, String head) {
        StringBuilder html = new StringBuilder("<html><head>").append(head).append("</head><body>");
        HREFS.forEach(href -> html.append("<a href=\"").append(href).append("\">x</a><img src=\"")
                .append(href).append("\">"));
        html.append("<a>no href</a></body></html>");
        return Jsoup.parse(html.toString(), baseUri);
    }

    private static void assertSameAsJsoup(Document page) {
        LinkResolver links = LinkResolver.of(page.baseUri());
        List<Element> elements = page.select("a, img");
        assertTrue(elements.size() > 2 * HREFS.size(), "every link is there");
        for (Element element : elements) {
            for (String name : List.of("href", "src", "HREF")) {
                assertEquals(element.absUrl(name), links.absolute(element, name),
                        name + "=" + element.attr(name) + " against " + page.baseUri());
            }
        }
    }
}
