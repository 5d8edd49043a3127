package io.ninetail.core.definition;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean …?" for misspelt keys, types and block ids. */
final class Suggestions {

    private static final int MAX_DISTANCE = 2;
    private static final int MAX_LENGTH = 64;

    private Suggestions() {
    }

    /** The single closest candidate within two edits, if there is one. */
    static Optional<String> closest(String word, Collection<String> candidates) {
        if (word.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String candidate : candidates) {
            int distance = distance(word, candidate);
            if (distance < bestDistance && candidate.length() <= MAX_LENGTH) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** " — did you mean 'x'?" or nothing. */
    static String didYouMean(String word, Collection<String> candidates) {
        return closest(word, candidates).map(c -> " — did you mean '" + c + "'?").orElse("");
    }

    /** Levenshtein distance, case-insensitive. */
    private static int distance(String a, String b) {
        String x = a.toLowerCase();
        String y = b.toLowerCase();
        if (Math.abs(x.length() - y.length()) > MAX_DISTANCE) {
            return MAX_DISTANCE + 1;
        }
        int[] previous = new int[y.length() + 1];
        int[] current = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int substitution = previous[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[y.length()];
    }
}
