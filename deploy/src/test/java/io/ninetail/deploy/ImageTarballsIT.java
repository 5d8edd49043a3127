package io.ninetail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ninetail.deploy.Repo.App;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OCI image tarballs that {@code -Pimages} built ({@link ImageBuilder}): read without a
 * container runtime, their configuration is what the Knative Services expect.
 */
@EnabledIfSystemProperty(named = "ninetail.images", matches = "true")
class ImageTarballsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<App> apps() {
        return Repo.APPS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apps")
    void imageRunsTheAppOnItsPortAsANonRootUser(App app) throws IOException {
        Image image = Image.read(tarball(app));
        JsonNode config = image.config().path("config");
        List<String> entrypoint = JSON.convertValue(config.path("Entrypoint"), List.class);
        if (entrypoint.get(0).equals("/deployments/application")) {
            assertTrue(image.files().containsKey("deployments/application"), "the native executable");
        } else {
            assertEquals(List.of("java", "-XX:MaxRAMPercentage=75", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                    "-jar", "/deployments/quarkus-run.jar"), entrypoint);
            for (String file : List.of("deployments/quarkus-run.jar", "deployments/quarkus/quarkus-application.dat")) {
                assertTrue(image.files().containsKey(file), file + " in " + app.name());
            }
            assertTrue(image.files().keySet().stream().anyMatch(f -> f.startsWith("deployments/lib/main/")), "dependencies");
            assertTrue(image.files().keySet().stream().anyMatch(f -> f.startsWith("deployments/app/")), "the app");
        }
        assertEquals(List.of(app.port() + "/tcp"), List.copyOf(JSON.convertValue(config.path("ExposedPorts"), Map.class).keySet()));
        String user = config.path("User").asText();
        assertTrue(user.matches("[1-9][0-9]*"), "a numeric non-root user, as runAsNonRoot can check: '" + user + "'");
        assertEquals("185", user, "the user the Knative Services run as");
        assertEquals("/deployments", config.path("WorkingDir").asText());
        assertEquals(app.name(), config.path("Labels").path("org.opencontainers.image.title").asText());
        assertEquals("1970-01-01T00:00:00Z", image.config().path("created").asText(), "no build time: reproducible");
        image.files().forEach((file, mode) -> assertNotEquals(0, mode & 0004, file + " is readable by the image's user"));
    }

    @Test
    void theSameBuildGivesTheSameImage() throws Exception {
        App app = Repo.app("ninetail-transform");
        Path again = Files.createTempDirectory("ninetail-image-").resolve("again.tar");
        ImageBuilder.build(app, "scratch", "0.1.0-SNAPSHOT", again);
        Image first = Image.read(tarball(app));
        Image second = Image.read(again);
        if (!System.getProperty("ninetail.image.base", "scratch").equals("scratch")) {
            return; // another base: the first was built on it, the second on scratch
        }
        assertEquals(first.manifestDigest(), second.manifestDigest());
    }

    private static Path tarball(App app) {
        Path tarball = app.dir().resolve("target/jib/" + app.name() + ".tar");
        assertTrue(Files.isRegularFile(tarball), tarball + " is missing: build with -Pimages");
        return tarball;
    }

    /** An image tarball: its manifest, its configuration, and every file of its layers with its mode. */
    record Image(String manifestDigest, JsonNode config, Map<String, Integer> files) {

        static Image read(Path tarball) throws IOException {
            Map<String, byte[]> entries = new HashMap<>();
            try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
                for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    if (entry.isFile()) {
                        entries.put(entry.getName(), tar.readAllBytes());
                    }
                }
            }
            JsonNode manifest;
            String manifestDigest;
            if (entries.containsKey("index.json")) {
                JsonNode index = JSON.readTree(entries.get("index.json"));
                manifestDigest = index.path("manifests").get(0).path("digest").asText();
                manifest = JSON.readTree(blob(entries, manifestDigest));
            } else {
                JsonNode docker = JSON.readTree(entries.get("manifest.json")).get(0);
                manifestDigest = docker.path("Config").asText();
                manifest = JSON.createObjectNode().set("config", JSON.createObjectNode().put("path", docker.path("Config").asText()));
            }
            JsonNode config = entries.containsKey("index.json")
                    ? JSON.readTree(blob(entries, manifest.path("config").path("digest").asText()))
                    : JSON.readTree(entries.get(manifest.path("config").path("path").asText()));
            Map<String, Integer> files = new HashMap<>();
            for (JsonNode layer : manifest.path("layers")) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(blob(entries, layer.path("digest").asText())));
                     TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                    for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                        if (entry.isFile()) {
                            files.put(entry.getName().replaceFirst("^/", ""), entry.getMode());
                        }
                    }
                }
            }
            return new Image(manifestDigest, config, files);
        }

        private static byte[] blob(Map<String, byte[]> entries, String digest) {
            byte[] blob = entries.get("blobs/" + digest.replace(':', '/'));
            if (blob == null) {
                throw new AssertionError("no blob " + digest + " in the tarball");
            }
            return blob;
        }
    }
}
