package io.ninetail.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The results table of BENCHMARKS.md: one Markdown row per result, appended, never rewritten,
 * so the file is the history of every run.
 */
public final class Report {

    public static final String HEADER = "| date (UTC) | commit | machine | load | scenario | n | p50 ms | p90 ms "
            + "| p99 ms | throughput /s | errors | figures | target (issue 9) |";
    static final String RULE = "|---|---|---|---|---|--:|--:|--:|--:|--:|--:|---|---|";

    /**
     * A result as the report shows it, with the 1-minute load average when its scenario ended:
     * the bench's own load and whatever else ran on the machine meanwhile.
     */
    public record Row(Result result, double loadAfter) {
    }

    private Report() {
    }

    public static String row(Machine machine, Row row) {
        Result result = row.result();
        Latencies latencies = result.latencies();
        return "| " + String.join(" | ",
                machine.dateText(),
                cell(machine.commit()),
                cell(machine.text()),
                Numbers.format(machine.load()) + " → " + Numbers.format(row.loadAfter()),
                cell(result.scenario()),
                Long.toString(result.count()),
                Numbers.format(latencies.p50()),
                Numbers.format(latencies.p90()),
                Numbers.format(latencies.p99()),
                Numbers.format(result.throughput()),
                Long.toString(result.errors()),
                cell(result.figures()),
                cell(result.target())) + " |";
    }

    /**
     * Appends the rows at the end of {@code file}, which ends with the results table; a file
     * without the table (new, or edited by hand) gets the table's header first.
     */
    public static void append(Path file, Machine machine, List<Row> rows) throws IOException {
        StringBuilder text = new StringBuilder();
        String existing = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        if (existing.isEmpty()) {
            text.append("# Benchmarks\n\nRows appended by `bench/run` (see README).\n");
        }
        if (!endsWithTable(existing)) {
            text.append(existing.isEmpty() || existing.endsWith("\n") ? "\n" : "\n\n")
                    .append(HEADER).append('\n').append(RULE).append('\n');
        } else if (!existing.endsWith("\n")) {
            text.append('\n');
        }
        for (Row row : rows) {
            text.append(row(machine, row)).append('\n');
        }
        Files.writeString(file, text.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Whether the text ends with our table: its last block of table lines starts with our header. */
    static boolean endsWithTable(String text) {
        String[] lines = text.strip().split("\n");
        int first = lines.length;
        while (first > 0 && lines[first - 1].startsWith("|")) {
            first--;
        }
        return first < lines.length && lines[first].equals(HEADER);
    }

    /** A table cell: pipes and line breaks would break the row. */
    static String cell(String text) {
        return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ").strip();
    }
}
