package io.ninetail.core.definition;

import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.javacc.ParseException;
import net.thisptr.jackson.jq.internal.javacc.Token;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns jackson-jq's compile failures (JavaCC's "Was expecting one of: …" pages) into one line
 * a workflow author can act on: what was unexpected, and where.
 */
final class JqSyntax {

    private static final Pattern LEXICAL = Pattern.compile("Lexical error at line (\\d+), column (\\d+)");

    private JqSyntax() {
    }

    static String describe(JsonQueryException failure, String jq) {
        Throwable cause = failure.getCause();
        boolean multiLine = jq.indexOf('\n') >= 0;
        if (cause instanceof ParseException parse && parse.currentToken != null && parse.currentToken.next != null) {
            Token next = parse.currentToken.next;
            if (next.kind == 0) {
                return "the expression ends too early";
            }
            return "unexpected '" + Texts.excerpt(next.image) + "' at " + where(next.beginLine, next.beginColumn, multiLine);
        }
        if (cause != null && cause.getMessage() != null) {
            Matcher lexical = LEXICAL.matcher(cause.getMessage());
            if (lexical.find()) {
                int line = Integer.parseInt(lexical.group(1));
                int column = Integer.parseInt(lexical.group(2));
                return "cannot read the text at " + where(line, column, multiLine)
                        + " (an unclosed string, or a character jq does not use, such as ' or `)";
            }
        }
        return "not valid jq";
    }

    private static String where(int line, int column, boolean multiLine) {
        return multiLine ? "line " + line + ", column " + column : "column " + column;
    }
}
