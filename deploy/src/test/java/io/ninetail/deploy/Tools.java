package io.ninetail.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The command-line tools the deploy checks run (yamllint, kubectl, nats-server), found on the PATH
 * (and /usr/sbin, /usr/local/bin). A missing tool fails the check with one line saying how to
 * install it: .ci/run installs them on a fresh machine.
 */
final class Tools {

    /** What a command printed, and how it ended. */
    record Result(int exitCode, String output) {
        Result assertSuccess(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " failed (exit " + exitCode + "):\n" + output);
            }
            return this;
        }
    }

    static final Map<String, String> INSTALL = Map.of(
            "yamllint", "apt-get install -y yamllint",
            "kubectl", "kubectl is not in Debian's repositories: install it from the Kubernetes apt repository"
                    + " (https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/) or any release binary;"
                    + " only `kubectl kustomize` is used, offline",
            "nats-server", "apt-get install -y nats-server");

    private Tools() {
    }

    static Path find(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isBlank()),
                        Stream.of("/usr/sbin", "/usr/local/bin", "/usr/local/sbin"))
                .map(dir -> Path.of(dir, tool)).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError(tool + " not found: " + INSTALL.getOrDefault(tool, "install it")));
    }

    static Result run(Path directory, Map<String, String> environment, String tool, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(find(tool).toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish in 2 minutes");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("could not run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Result run(String tool, String... arguments) {
        return run(Repo.ROOT, Map.of(), tool, arguments);
    }

    /** {@code kubectl kustomize <dir>}: renders an overlay offline, as {@code kubectl apply -k} would send it. */
    static String kustomize(String directory) {
        return run("kubectl", "kustomize", Repo.path(directory).toString()).assertSuccess("kubectl kustomize " + directory)
                .output();
    }

    static Optional<String> version(String tool, String... arguments) {
        Result result = run(tool, arguments);
        return result.exitCode() == 0 ? Optional.of(result.output().trim()) : Optional.empty();
    }
}
