package io.ninetail.scraper;

import org.jsoup.internal.StringUtil;
import org.jsoup.nodes.Element;

import java.net.MalformedURLException;
import java.net.URL;

/**
 * Makes a URL attribute absolute against its page's base, as jsoup's {@code absUrl} does, but
 * with the base parsed once per page instead of once per link: on a page of 50 links, {@code
 * absUrl} cleaning and parsing the same base again for each one took about a quarter of the
 * block's CPU (profiled under the launcher's C1-only JIT). The resolution itself is jsoup's
 * ({@link StringUtil#resolve(URL, String)}); whatever the quick way cannot take (no usable base,
 * an element with a base of its own, a value that jsoup's resolution refuses) goes to {@code
 * absUrl} itself, so every result is jsoup's.
 */
final class LinkResolver {

    private final String baseUri;
    private final URL base;

    private LinkResolver(String baseUri, URL base) {
        this.baseUri = baseUri;
        this.base = base;
    }

    /** For the elements of a page whose base (after any {@code <base href>}) is {@code baseUri}. */
    static LinkResolver of(String baseUri) {
        if (baseUri == null || baseUri.isEmpty() || hasControlCharacters(baseUri)) {
            return new LinkResolver(baseUri, null);
        }
        try {
            return new LinkResolver(baseUri, new URL(baseUri));
        } catch (MalformedURLException e) {
            return new LinkResolver(baseUri, null);
        }
    }

    /** The attribute {@code name} of {@code element}, absolute; empty when jsoup cannot make it so. */
    String absolute(Element element, String name) {
        if (base == null || !element.hasAttr(name) || !baseUri.equals(element.baseUri())) {
            return element.absUrl(name);
        }
        try {
            return StringUtil.resolve(base, element.attr(name)).toExternalForm();
        } catch (MalformedURLException e) {
            return element.absUrl(name);
        }
    }

    /** jsoup strips these from a base before parsing it; such a rare base takes the slow way. */
    private static boolean hasControlCharacters(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < 0x20) {
                return true;
            }
        }
        return false;
    }
}
