package io.ninetail.core.definition;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Rewrites pointers into a translated document (the list form made into the object form) back
 * into the document the author submitted: the longest mapped prefix wins, and what follows it
 * is kept. A pointer with no mapped prefix points at the whole document.
 */
final class PointerMap implements UnaryOperator<String> {

    private final Map<String, String> prefixes = new LinkedHashMap<>();

    /** Both pointers, RFC 6901. */
    void map(String translated, String submitted) {
        prefixes.put(translated, submitted);
    }

    @Override
    public String apply(String pointer) {
        String prefix = pointer;
        while (true) {
            String submitted = prefixes.get(prefix);
            if (submitted != null) {
                return submitted + pointer.substring(prefix.length());
            }
            int slash = prefix.lastIndexOf('/');
            if (slash < 0) {
                return "";
            }
            prefix = prefix.substring(0, slash);
        }
    }
}
