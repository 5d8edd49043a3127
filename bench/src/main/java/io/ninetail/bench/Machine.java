package io.ninetail.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Where and on what a run was made: the columns every row of the report repeats, so that a row
 * copied elsewhere still says what it means.
 *
 * @param commit  the engine's git commit, {@code +dirty} when the worktree had uncommitted changes
 * @param load    the 1-minute load average when the run started: other work on the machine
 * @param javaOpts NINETAIL_JAVA_OPTS, which the launcher adds to every app's java command (empty: none)
 */
public record Machine(Instant date, String commit, int cores, double memoryGiB, String jdk, double load,
                      String javaOpts) {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'")
            .withZone(ZoneOffset.UTC);

    public static Machine describe(Path root) {
        return new Machine(Instant.now(), Git.commit(root), Runtime.getRuntime().availableProcessors(),
                ProcFs.memoryTotalKiB() / (1024.0 * 1024.0), System.getProperty("java.runtime.version"),
                ProcFs.loadAverage(), System.getenv().getOrDefault("NINETAIL_JAVA_OPTS", "").strip());
    }

    public String dateText() {
        return DATE.format(date);
    }

    /** {@code 2 cores, 23.4 GiB, JDK 17.0.13+11}, and the apps' extra JVM options when there are any. */
    public String text() {
        String text = String.format(Locale.ROOT, "%d cores, %.1f GiB, JDK %s", cores, memoryGiB, jdk);
        return javaOpts.isEmpty() ? text : text + ", NINETAIL_JAVA_OPTS=" + javaOpts;
    }

    /** The commit the engine was built from, as far as git can tell. */
    static final class Git {
        private Git() {
        }

        static String commit(Path root) {
            String head = run(root, "git", "rev-parse", "--short=10", "HEAD");
            if (head.isEmpty()) {
                return "unknown";
            }
            // The report itself changes with every run; it does not make the engine "dirty".
            String changes = run(root, "git", "status", "--porcelain", "--untracked-files=no", "--", ".",
                    ":(exclude)BENCHMARKS.md");
            return changes.isEmpty() ? head : head + "+dirty";
        }

        private static String run(Path root, String... command) {
            try {
                Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                        .start();
                String out = new String(process.getInputStream().readAllBytes()).trim();
                return process.waitFor() == 0 ? out : "";
            } catch (IOException e) {
                return "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }
    }
}
