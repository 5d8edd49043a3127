package io.ninetail.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ports of one launched system, free when picked. Below Linux's ephemeral range (32768+), so an
 * outgoing connection cannot take one in the meantime, and far from Ninetail's defaults (4222, 8222,
 * 8080…), which a developer's own system may be using.
 *
 * @param apps the launcher's {@code NINETAIL_APPS_PORT}: fetch, html-scraper, hook, response, transform
 *             at +0…+4, the scheduler at +9, replica N of an app at +100×(N−1)
 */
record Ports(int nats, int natsMonitor, int api, int apps) {

    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 32_000;

    /** A base where everything a system with up to {@code replicas} processes per app needs is free. */
    static Ports pick(int replicas) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(LOWEST / 10, (HIGHEST - 100 * replicas) / 10) * 10;
            Ports ports = new Ports(base + 10, base + 11, base + 12, base);
            if (ports.all(replicas).stream().allMatch(Ports::free)) {
                return ports;
            }
        }
        throw new IllegalStateException("no free ports between " + LOWEST + " and " + HIGHEST);
    }

    List<Integer> all(int replicas) {
        List<Integer> all = new ArrayList<>(List.of(nats, natsMonitor, api));
        for (int replica = 0; replica < replicas; replica++) {
            for (int offset : new int[] {0, 1, 2, 3, 4, 9}) {
                all.add(apps + 100 * replica + offset);
            }
        }
        return all;
    }

    /** The launcher's settings for these ports. */
    Map<String, String> environment() {
        return Map.of("NINETAIL_NATS_PORT", Integer.toString(nats),
                "NINETAIL_NATS_MONITOR_PORT", Integer.toString(natsMonitor),
                "NINETAIL_API_PORT", Integer.toString(api),
                "NINETAIL_APPS_PORT", Integer.toString(apps));
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
