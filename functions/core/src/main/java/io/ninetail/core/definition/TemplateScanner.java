package io.ninetail.core.definition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Splits a string of a definition into literal text and {@code ${ … }} expressions.
 * {@code $${} stands for a literal {@code ${}.
 *
 * <p>The closing brace is found the way jq reads the text: braces of object constructions
 * nest, and braces inside jq strings (also inside their {@code \( … )} interpolations) do
 * not count. Iterative, so no input can exhaust the stack.
 */
final class TemplateScanner {

    /** A piece of a string: literal text, or an expression. */
    sealed interface Part {
    }

    record Text(String text) implements Part {
    }

    /**
     * @param text as written, {@code ${ … }} included
     * @param jq   what is between the braces, trimmed
     */
    record Code(String text, String jq) implements Part {
    }

    private static final int CODE = 0;
    private static final int INTERPOLATION = 1;
    private static final int STRING = 2;

    private TemplateScanner() {
    }

    static boolean mentionsExpression(String s) {
        return s.contains("${");
    }

    static List<Part> scan(String s) throws InvalidExpressionException {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("$${", i)) {
                text.append("${");
                i += 3;
            } else if (s.startsWith("${", i)) {
                int end = closingBrace(s, i + 2);
                if (end < 0) {
                    throw new InvalidExpressionException("the '${' at character " + (i + 1) + " has no closing '}'");
                }
                if (!text.isEmpty()) {
                    parts.add(new Text(text.toString()));
                    text.setLength(0);
                }
                parts.add(new Code(s.substring(i, end + 1), s.substring(i + 2, end).trim()));
                i = end + 1;
            } else {
                text.append(s.charAt(i));
                i++;
            }
        }
        if (!text.isEmpty()) {
            parts.add(new Text(text.toString()));
        }
        return parts;
    }

    /** The index of the '}' that closes an expression starting at {@code from}, or -1. */
    private static int closingBrace(String s, int from) {
        // Each frame: {kind, depth}; depth counts braces in CODE and parentheses in INTERPOLATION.
        Deque<int[]> frames = new ArrayDeque<>();
        frames.push(new int[]{CODE, 0});
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            int[] frame = frames.peek();
            if (frame[0] == STRING) {
                if (c == '\\') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '(') {
                        frames.push(new int[]{INTERPOLATION, 0});
                    }
                    i++;
                } else if (c == '"') {
                    frames.pop();
                }
            } else if (c == '"') {
                frames.push(new int[]{STRING, 0});
            } else if (frame[0] == CODE && c == '{') {
                frame[1]++;
            } else if (frame[0] == CODE && c == '}') {
                if (frame[1] == 0) {
                    return i;
                }
                frame[1]--;
            } else if (frame[0] == INTERPOLATION && c == '(') {
                frame[1]++;
            } else if (frame[0] == INTERPOLATION && c == ')') {
                if (frame[1] == 0) {
                    frames.pop();
                } else {
                    frame[1]--;
                }
            }
        }
        return -1;
    }
}
