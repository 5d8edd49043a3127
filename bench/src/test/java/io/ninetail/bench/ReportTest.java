package io.ninetail.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {

    private static final Machine MACHINE = new Machine(Instant.parse("2026-11-25T23:10:42Z"), "f581b62ebf", 2, 23.46,
            "17.0.15+6", 0.52, "");
    private static final Report.Row WEBHOOK = new Report.Row(new Result("webhook scrape c=1", 400,
            new Latencies(400, 12.34, 15.0, 48.21, 60, 13.1), 78.9, 0, "page 20 KB, 50 links",
            "p50 ≤ 15 ms: met"), 1.25);

    @Test
    void aRowCarriesTheDateTheMachineTheLoadBeforeAndAfterAndEveryFigure() {
        assertEquals("| 2026-11-25 23:10Z | f581b62ebf | 2 cores, 23.5 GiB, JDK 17.0.15+6 | 0.520 → 1.25 "
                        + "| webhook scrape c=1 | 400 | 12.3 | 15 | 48.2 | 78.9 | 0 | page 20 KB, 50 links "
                        + "| p50 ≤ 15 ms: met |",
                Report.row(MACHINE, WEBHOOK));
    }

    @Test
    void theAppsExtraJvmOptionsAreInTheMachineCell() {
        Machine profiled = new Machine(MACHINE.date(), MACHINE.commit(), 2, 23.46, "17.0.15+6", 0.52,
                "-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints");

        assertTrue(Report.row(profiled, WEBHOOK).contains(
                "| 2 cores, 23.5 GiB, JDK 17.0.15+6, NINETAIL_JAVA_OPTS=-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints |"));
    }

    @Test
    void aFigureWithoutPercentilesShowsADash() {
        Report.Row overhead = new Report.Row(
                new Result("hop overhead (per hop)", 10, Latencies.NONE, Double.NaN, 0, "", "—"), 1);

        assertTrue(Report.row(MACHINE, overhead).contains("| 10 | — | — | — | — | 0 |"));
    }

    @Test
    void pipesAndLineBreaksInTextDoNotBreakTheRow() {
        Report.Row failed = new Report.Row(
                Result.failed("floor", new IllegalStateException("a | b\nstack trace")), 1);

        String row = Report.row(MACHINE, failed);

        assertTrue(row.contains("did not complete: a \\| b |"), row);
        assertEquals(14, row.split("(?<!\\\\)\\|").length, row);
    }

    @Test
    void aNewReportGetsTheTableHeaderThenTheRows(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("BENCHMARKS.md");

        Report.append(file, MACHINE, List.of(WEBHOOK));

        List<String> lines = Files.readAllLines(file);
        assertEquals("# Benchmarks", lines.get(0));
        int header = lines.indexOf(Report.HEADER);
        assertEquals(Report.RULE, lines.get(header + 1));
        assertEquals(Report.row(MACHINE, WEBHOOK), lines.get(header + 2));
        assertEquals(header + 3, lines.size());
    }

    @Test
    void laterRunsAppendToTheSameTableAndKeepWhatWasThere(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("BENCHMARKS.md");
        Files.writeString(file, "# Benchmarks\n\nHow to read it.\n\n" + Report.HEADER + "\n" + Report.RULE + "\n"
                + "| an earlier row |\n");

        Report.append(file, MACHINE, List.of(WEBHOOK, WEBHOOK));

        String text = Files.readString(file);
        assertTrue(text.startsWith("# Benchmarks\n\nHow to read it.\n\n" + Report.HEADER + "\n" + Report.RULE
                + "\n| an earlier row |\n" + Report.row(MACHINE, WEBHOOK) + "\n"));
        assertEquals(1, text.split(java.util.regex.Pattern.quote(Report.HEADER), -1).length - 1);
    }

    @Test
    void aReportThatEndsInProseGetsANewTable(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("BENCHMARKS.md");
        Files.writeString(file, "# Benchmarks\n\n" + Report.HEADER + "\n" + Report.RULE + "\n| old |\n\nA note.");

        assertFalse(Report.endsWithTable(Files.readString(file)));
        Report.append(file, MACHINE, List.of(WEBHOOK));

        assertTrue(Files.readString(file).endsWith("A note.\n\n" + Report.HEADER + "\n" + Report.RULE + "\n"
                + Report.row(MACHINE, WEBHOOK) + "\n"));
    }

    @Test
    void theCheckedInReportEndsWithThisTableSoRunsAppendToIt() throws Exception {
        Path benchmarks = Path.of(System.getProperty("user.dir")).resolveSibling("BENCHMARKS.md");

        assertTrue(Report.endsWithTable(Files.readString(benchmarks)), benchmarks + " does not end with the table");
    }
}
