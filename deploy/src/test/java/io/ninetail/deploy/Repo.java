package io.ninetail.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The repository's files and the apps it builds, as the deploy checks see them. */
final class Repo {

    /**
     * One deployable app: its module, its name (Knative Service, image, NATS user), its HTTP port and,
     * for a block function, its block type.
     */
    record App(String module, String name, int port, String blockType) {

        Path dir() {
            return ROOT.resolve(module);
        }

        Path quarkusApp() {
            return dir().resolve("target/quarkus-app");
        }

        Path generatedManifest() {
            return dir().resolve("target/kubernetes/knative.yml");
        }

        Path checkedInManifest() {
            return ROOT.resolve("deploy/knative/base/apps/" + name + ".yml");
        }

        Optional<String> type() {
            return Optional.ofNullable(blockType);
        }
    }

    static final Path ROOT = Path.of(System.getProperty("ninetail.root", "..")).toAbsolutePath().normalize();

    static final List<App> APPS = List.of(
            new App("functions/fetch", "ninetail-fetch", 8081, "fetch"),
            new App("functions/html-scraper", "ninetail-html-scraper", 8082, "html-scraper"),
            new App("functions/hook", "ninetail-hook", 8083, "hook"),
            new App("functions/response", "ninetail-response", 8084, "response"),
            new App("functions/transform", "ninetail-transform", 8085, "transform"),
            new App("functions/scheduler", "ninetail-scheduler", 8090, null),
            new App("workflow-api", "ninetail-workflow-api", 8080, null));

    static final List<App> FUNCTIONS = APPS.stream().filter(app -> app.blockType() != null).toList();
    static final String SCHEDULER = "ninetail-scheduler";
    static final String API = "ninetail-workflow-api";

    private Repo() {
    }

    static App app(String name) {
        return APPS.stream().filter(app -> app.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no app " + name));
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every YAML file under {@code deploy/} that is not build output. */
    static List<Path> yamlFiles() {
        try (var files = Files.walk(path("deploy"))) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !ROOT.relativize(p).startsWith("deploy/target"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
