package io.ninetail.core.definition;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean …?" for misspelt keys, types and block ids. */
final class Suggestions {

    private static final int MAX_DISTANCE = 2;
    private static final int MAX_LENGTH = 64;

    private Suggestions() {
    }

    /**
     * The closest candidate, if it is close enough to be a slip: one edit for words of up to
     * four letters, two for longer ones (a swap of neighbours counts as one edit).
     */
    static Optional<String> closest(String word, Collection<String> candidates) {
        if (word.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        int allowed = word.length() <= 4 ? 1 : MAX_DISTANCE;
        String best = null;
        int bestDistance = allowed + 1;
        for (String candidate : candidates) {
            if (candidate.length() > MAX_LENGTH) {
                continue;
            }
            int distance = distance(word, candidate);
            if (distance < bestDistance) {
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

    /** Edits between two words, case-insensitive: insertions, deletions, substitutions, neighbour swaps. */
    private static int distance(String a, String b) {
        String x = a.toLowerCase();
        String y = b.toLowerCase();
        if (Math.abs(x.length() - y.length()) > MAX_DISTANCE) {
            return MAX_DISTANCE + 1;
        }
        int[][] d = new int[x.length() + 1][y.length() + 1];
        for (int i = 0; i <= x.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= y.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            for (int j = 1; j <= y.length(); j++) {
                int cost = x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && x.charAt(i - 1) == y.charAt(j - 2) && x.charAt(i - 2) == y.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[x.length()][y.length()];
    }
}
