package io.ninetail.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UrlsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, JsonNode> query(String json) throws Exception {
        return JSON.readerForMapOf(JsonNode.class).readValue(json);
    }

    @Test
    void queryIsAppendedToTheQueryTheUrlAlreadyHasWithEveryReservedCharacterEncoded() throws Exception {
        URI url = Urls.withQuery(Urls.parse("https://shop.example/search?lang=de"),
                query("{\"q\": \"rock & roll = 100%+\", \"page\": 2, \"exact\": true, \"café\": \"crème brûlée\"}"));
        assertEquals("https://shop.example/search?lang=de&q=rock%20%26%20roll%20%3D%20100%25%2B&page=2&exact=true"
                + "&caf%C3%A9=cr%C3%A8me%20br%C3%BBl%C3%A9e", url.toString());
    }

    @Test
    void aListRepeatsTheNameAndNullLeavesAParameterOut() throws Exception {
        URI url = Urls.withQuery(Urls.parse("http://a.example/"),
                query("{\"tag\": [\"x\", null, \"y z\"], \"skip\": null, \"n\": 1.5}"));
        assertEquals("http://a.example/?tag=x&tag=y%20z&n=1.5", url.toString());
    }

    @Test
    void objectsAreNotQueryValues() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Urls.checkQueryValue("filter", JSON.readTree("{\"a\": 1}")));
        assertEquals("parameter 'query.filter' must be a string, number or boolean, or a list of them",
                refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Urls.checkQueryValue("f", JSON.readTree("[[1]]")));
    }

    @Test
    void urlsAreReadLenientlyLikeABrowserDoes() {
        assertEquals("http://a.example/a%20b/%C3%BC?q=%22x%22", Urls.parse("http://a.example/a b/ü?q=\"x\"").toString());
        assertEquals("http://a.example/", Urls.parse("http://a.example").toString(), "an empty path is /");
        assertEquals("http://a.example/p?q=1", Urls.parse("http://a.example/p?q=1#section").toString(),
                "the fragment is never sent");
        assertEquals("https://xn--bcher-kva.example/buch", Urls.parse("https://bücher.example/buch").toString());
        assertEquals("http://a.example/%41", Urls.parse("http://a.example/%41").toString(), "escapes are kept");
    }

    @Test
    void onlyAbsoluteHttpUrlsAreAccepted() {
        assertThrows(IllegalArgumentException.class, () -> Urls.parse("/relative"));
        assertThrows(IllegalArgumentException.class, () -> Urls.parse("file:///etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> Urls.parse("gopher://a.example/"));
        assertThrows(IllegalArgumentException.class, () -> Urls.parse("http://a.example/%zz"));
    }

    @Test
    void redirectLocationsResolveAgainstTheUrlThatAnswered() {
        URI from = Urls.parse("https://a.example/news/today?x=1");
        assertEquals("https://a.example/news/yesterday", Urls.redirect(from, "yesterday").toString());
        assertEquals("https://a.example/login", Urls.redirect(from, "/login").toString());
        assertEquals("http://b.example/", Urls.redirect(from, "http://b.example").toString());
        assertEquals("https://c.example/x", Urls.redirect(from, "//c.example/x").toString());
        assertThrows(IllegalArgumentException.class, () -> Urls.redirect(from, "ftp://files.example/"));
        assertThrows(IllegalArgumentException.class, () -> Urls.redirect(from, "javascript:alert(1)"));
    }

    @Test
    void originIsSchemeHostAndPort() {
        assertTrue(Urls.sameOrigin(URI.create("https://A.example/x"), URI.create("https://a.example:443/y")));
        assertFalse(Urls.sameOrigin(URI.create("https://a.example/"), URI.create("http://a.example/")));
        assertFalse(Urls.sameOrigin(URI.create("http://a.example/"), URI.create("http://a.example:8080/")));
        assertFalse(Urls.sameOrigin(URI.create("http://a.example/"), URI.create("http://b.example/")));
    }

    @Test
    void hostNamesLoseIpv6BracketsAndTheTrailingDot() {
        assertEquals("::1", Urls.hostName(URI.create("http://[::1]:8080/")));
        assertEquals("example.com", Urls.hostName(URI.create("http://Example.COM./")));
    }
}
