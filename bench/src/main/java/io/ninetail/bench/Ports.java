package io.ninetail.bench;

import java.util.Map;

/**
 * The ports of the bench's own system, all derived from one base so that a dev system on the
 * launcher's defaults (4222, 8222, 8080–8090) and a second bench never collide with it. The
 * apps take {@code apps}…{@code apps+9} and, for replicas, the same +100×(N−1), as the launcher
 * lays them out.
 */
public record Ports(int nats, int natsMonitor, int api, int apps) {

    public static final int DEFAULT_BASE = 24200;

    /** nats base+22, its monitor base+23, api base+80, apps from base+81. */
    public static Ports fromBase(int base) {
        if (base < 1024 || base + 81 + 9 + 100 * 8 > 65535) {
            throw new IllegalArgumentException("port base " + base + " out of range (1024–64600)");
        }
        return new Ports(base + 22, base + 23, base + 80, base + 81);
    }

    /** The launcher's settings for these ports. */
    public Map<String, String> environment() {
        return Map.of("NINETAIL_NATS_PORT", Integer.toString(nats),
                "NINETAIL_NATS_MONITOR_PORT", Integer.toString(natsMonitor),
                "NINETAIL_API_PORT", Integer.toString(api),
                "NINETAIL_APPS_PORT", Integer.toString(apps));
    }

    public String natsUrl() {
        return "nats://127.0.0.1:" + nats;
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + api;
    }
}
