package io.ninetail.deploy;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import io.ninetail.deploy.Repo.App;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Builds an OCI image tarball for every app with Jib's library, no Docker daemon needed (profile
 * {@code images}, docs/deploy.md). A JVM app is laid out as Quarkus packages it
 * ({@code target/quarkus-app}) in three layers, from least to most often changed: its
 * dependencies, Quarkus' own files, the app; a native build ({@code -Dnative}) is one layer with
 * the executable. Timestamps are fixed, so the same input gives the same image.
 *
 * <p>Arguments: the base image ({@code scratch}, {@code tar:///path/base.tar} or a registry
 * reference) and the version to tag. Writes {@code <module>/target/jib/<name>.tar}.
 */
public final class ImageBuilder {

    static final AbsoluteUnixPath HOME = AbsoluteUnixPath.get("/deployments");
    static final String USER = "185";

    private ImageBuilder() {
    }

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 && !args[0].isBlank() ? args[0] : "scratch";
        String version = args.length > 1 ? args[1] : "0.1.0-SNAPSHOT";
        for (App app : Repo.APPS) {
            Path tarball = build(app, base, version, app.dir().resolve("target/jib/" + app.name() + ".tar"));
            System.out.println("[images] " + app.name() + " -> " + Repo.ROOT.relativize(tarball) + " (base " + base + ")");
        }
    }

    static Path build(App app, String base, String version, Path tarball) throws Exception {
        Path native_ = app.dir().resolve("target").resolve("ninetail-" + app.module().substring(app.module().lastIndexOf('/') + 1)
                + "-" + version + "-runner");
        JibContainerBuilder image = from(base)
                .setFormat(ImageFormat.OCI)
                .setCreationTime(Instant.EPOCH)
                .setExposedPorts(Set.of(Port.tcp(app.port())))
                .setUser(USER)
                .setWorkingDirectory(HOME)
                // Sorted maps: Map.of's order changes from run to run, and with it the image's digest.
                .setEnvironment(new TreeMap<>(Map.of("QUARKUS_HTTP_HOST", "0.0.0.0", "LANG", "C.UTF-8")))
                .setLabels(new TreeMap<>(Map.of(
                        "org.opencontainers.image.title", app.name(),
                        "org.opencontainers.image.version", version)));
        if (Files.isExecutable(native_)) {
            image.addFileEntriesLayer(FileEntriesLayer.builder().setName("application")
                            .addEntry(native_, HOME.resolve("application"), FilePermissions.fromOctalString("755"))
                            .build())
                    .setEntrypoint(List.of(HOME.resolve("application").toString()));
        } else {
            Path app_ = app.quarkusApp();
            if (!Files.isRegularFile(app_.resolve("quarkus-run.jar"))) {
                throw new IllegalStateException(app_ + " is missing: package the app first");
            }
            image.addFileEntriesLayer(layer("dependencies", app_, "lib"))
                    .addFileEntriesLayer(layer("quarkus", app_, "quarkus", "quarkus-run.jar"))
                    .addFileEntriesLayer(layer("application", app_, "app"))
                    .setEntrypoint(List.of("java", "-XX:MaxRAMPercentage=75",
                            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                            "-jar", HOME.resolve("quarkus-run.jar").toString()));
        }
        Files.createDirectories(tarball.getParent());
        Containerizer to = Containerizer.to(TarImage.at(tarball).named(ImageReference.parse("ninetail/" + app.name() + ":" + version)))
                .setOfflineMode(base.equals("scratch") || base.startsWith("tar://"))
                .setApplicationLayersCache(app.dir().resolve("target/jib/cache"))
                .setBaseImageLayersCache(app.dir().resolve("target/jib/base-cache"));
        image.containerize(to);
        return tarball;
    }

    private static JibContainerBuilder from(String base) throws Exception {
        if (base.equals("scratch")) {
            return Jib.fromScratch();
        }
        if (base.startsWith("tar://")) {
            return Jib.from(TarImage.at(Path.of(base.substring("tar://".length()))));
        }
        return Jib.from(RegistryImage.named(base));
    }

    /** The named entries of {@code app} (files or whole directories), at the same place under /deployments. */
    private static FileEntriesLayer layer(String name, Path app, String... entries) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        for (String entry : entries) {
            Path root = app.resolve(entry);
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.sorted().toList()) {
                    AbsoluteUnixPath target = HOME.resolve(app.relativize(file).toString().replace('\\', '/'));
                    layer.addEntry(file, target, Files.isDirectory(file) ? FilePermissions.fromOctalString("755")
                            : FilePermissions.fromOctalString("644"));
                }
            }
        }
        return layer.build();
    }
}
