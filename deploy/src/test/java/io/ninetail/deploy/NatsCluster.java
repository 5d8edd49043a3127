package io.ninetail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ninetail.testing.NatsServerResource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * Ninetail's NATS as deploy/nats runs it: three nats-server processes from the checked-in
 * cluster.conf (with accounts.conf), given what the StatefulSet gives them (server name, TLS
 * files, store, the users' passwords in the environment) and, on the command line, local ports
 * and routes instead of the cluster's DNS names.
 */
final class NatsCluster implements AutoCloseable {

    /** The users' passwords, as the Secret nats-users holds them. */
    static final Map<String, String> PASSWORDS = passwords();

    private final List<Process> servers = new ArrayList<>();
    private final List<Integer> clientPorts = new ArrayList<>();
    private final List<Integer> monitorPorts = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final Path stores;

    NatsCluster(TestCertificates tls, int size) {
        try {
            stores = Files.createTempDirectory("ninetail-nats-cluster-");
            List<Integer> routePorts = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                clientPorts.add(NatsServerResource.freePort());
                monitorPorts.add(NatsServerResource.freePort());
                routePorts.add(NatsServerResource.freePort());
            }
            String routes = routePorts.stream().map(port -> "nats-route://127.0.0.1:" + port).collect(Collectors.joining(","));
            Path binary = Tools.find("nats-server");
            for (int i = 0; i < size; i++) {
                Map<String, String> environment = new HashMap<>(PASSWORDS);
                environment.put("NATS_SERVER_NAME", "nats-" + i);
                environment.put("NATS_TLS_CERT", tls.cert.toString());
                environment.put("NATS_TLS_KEY", tls.key.toString());
                environment.put("NATS_TLS_CA", tls.caCert.toString());
                environment.put("NATS_STORE_DIR", stores.resolve("nats-" + i).toString());
                Path log = stores.resolve("nats-" + i + ".log");
                ProcessBuilder builder = new ProcessBuilder(binary.toString(),
                        "-c", Repo.path("deploy/nats/cluster.conf").toString(),
                        "-a", "127.0.0.1", "-p", clientPorts.get(i).toString(), "-m", monitorPorts.get(i).toString(),
                        "--cluster", "nats://127.0.0.1:" + routePorts.get(i), "--routes", routes)
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                builder.environment().putAll(environment);
                servers.add(builder.start());
                logs.add(log);
            }
        } catch (IOException e) {
            close();
            throw new IllegalStateException("could not start the NATS cluster", e);
        }
    }

    /** Waits until every server is up and JetStream has a meta leader. */
    NatsCluster awaitReady(Duration timeout) {
        await("NATS cluster with a JetStream meta leader").atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (int i = 0; i < servers.size(); i++) {
                if (!servers.get(i).isAlive()) {
                    throw new AssertionError("nats-" + i + " exited:\n" + Files.readString(logs.get(i)));
                }
            }
            for (int port : monitorPorts) {
                JsonNode jsz = monitor(port, "/jsz");
                if (jsz == null || jsz.path("meta_cluster").path("leader").asText("").isEmpty()
                        || jsz.path("meta_cluster").path("cluster_size").asInt() != servers.size()) {
                    return false;
                }
            }
            return true;
        });
        return this;
    }

    /** Every server's client URL, as an app's servers setting lists them. */
    String urls() {
        return clientPorts.stream().map(port -> "tls://127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    String url(int server) {
        return "tls://127.0.0.1:" + clientPorts.get(server);
    }

    String log(int server) {
        try {
            return Files.readString(logs.get(server));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static JsonNode monitor(int port, String path) {
        try {
            return new ObjectMapper().readTree(URI.create("http://127.0.0.1:" + port + path).toURL());
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<String, String> passwords() {
        Map<String, String> passwords = new HashMap<>();
        for (String user : List.of("SCHEDULER", "FETCH", "HTML_SCRAPER", "HOOK", "RESPONSE", "TRANSFORM", "WORKFLOW_API")) {
            passwords.put("NINETAIL_" + user + "_PASSWORD", "pw-" + user.toLowerCase().replace('_', '-'));
        }
        passwords.put("KNATIVE_EVENTING_PASSWORD", "pw-knative-eventing");
        passwords.put("NATS_SYSTEM_PASSWORD", "pw-system");
        return Map.copyOf(passwords);
    }

    /** The password of a Ninetail user, e.g. {@code ninetail-html-scraper}. */
    static String password(String user) {
        String variable = user.equals("knative-eventing") ? "KNATIVE_EVENTING_PASSWORD"
                : user.toUpperCase().replace('-', '_') + "_PASSWORD";
        return PASSWORDS.get(variable);
    }

    @Override
    public void close() {
        servers.forEach(Process::destroy);
        for (Process server : servers) {
            try {
                if (!server.waitFor(10, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (stores != null) {
            try (Stream<Path> paths = Files.walk(stores)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind is not worth failing a test for
            }
        }
    }
}
