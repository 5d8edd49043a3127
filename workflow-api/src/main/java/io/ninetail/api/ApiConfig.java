package io.ninetail.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The api's own settings ({@code ninetail.api.*}); see docs/api.md. */
@ConfigMapping(prefix = "ninetail.api")
public interface ApiConfig {

    /**
     * Keys that open {@code /workflows} and {@code /runs} ({@code Authorization: Bearer <key>}).
     * None: the api accepts connections from loopback only.
     */
    Optional<List<String>> keys();

    /** The longest a caller may ask {@code ?wait=} to wait for a run. */
    @WithDefault("PT5M")
    Duration maxWait();

    /** How many run records one page of {@code GET /runs} reads at most. */
    @WithDefault("1000")
    int listScan();

    /** How often the pending tasks per block type are read from the JetStream consumers. */
    @WithDefault("PT5S")
    Duration queueRefresh();

    /** Knative mode: where run starts and cancels go (see {@link RunCommands}). */
    Knative knative();

    interface Knative {

        /** On: starts and cancels go to the broker; off (the default): into JetStream. */
        @WithDefault("false")
        boolean enabled();

        /** The broker's address (a SinkBinding sets {@code K_SINK}, which the default reads). */
        Optional<URI> sink();
    }
}
