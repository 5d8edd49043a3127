package io.ninetail.api;

import io.ninetail.testing.AppProcess;
import io.ninetail.testing.NatsServerResource;
import io.ninetail.testing.NatsServerResource.RunningNats;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Ninetail as it runs for real, for the api under test: a nats-server, and the scheduler and
 * every function the tests' workflows use, each its own process started from its packaged jar
 * (Maven packages them before this module's tests). Started once per test class that uses it.
 */
public class NinetailStack implements QuarkusTestResourceLifecycleManager {

    /** The shared secret the hook function knows as {@code partner-token}. */
    static final String PARTNER_TOKEN = "s3cr3t-t0ken";
    /** The HMAC key the hook function knows as {@code form-signing}. */
    static final String FORM_SIGNING_KEY = "f0rm-s1gn1ng-k3y";
    private static final Duration START = Duration.ofSeconds(90);
    private static final List<String> FUNCTIONS = List.of("hook", "fetch", "html-scraper", "response");

    private RunningNats nats;
    private final List<AppProcess> apps = new ArrayList<>();

    @Override
    public Map<String, String> start() {
        nats = NatsServerResource.startServer();
        try {
            // The first app creates the streams and buckets; the rest find them.
            apps.add(AppProcess.start("scheduler", app("scheduler"), config("scheduler")).awaitReady(START));
            List<AppProcess> functions = FUNCTIONS.stream().map(name -> AppProcess.start(name, app(name), config(name)))
                    .toList();
            apps.addAll(functions);
            CompletableFuture.allOf(functions.stream()
                    .map(app -> CompletableFuture.runAsync(() -> app.awaitReady(START)))
                    .toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        return Map.of("quarkus.messaging.nats.connection.servers", nats.url());
    }

    private Map<String, String> config(String name) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.messaging.nats.connection.servers", nats.url());
        switch (name) {
            // the tests' pages are on 127.0.0.1
            case "fetch" -> config.put("ninetail.fetch.allow-loopback", "true");
            case "hook" -> {
                config.put("ninetail.hook.secrets.partner-token", PARTNER_TOKEN);
                config.put("ninetail.hook.secrets.form-signing", FORM_SIGNING_KEY);
            }
            default -> {
            }
        }
        return config;
    }

    private static Path app(String name) {
        return Path.of(System.getProperty("ninetail.functions.dir", "../functions"), name, "target", "quarkus-app");
    }

    @Override
    public void stop() {
        apps.forEach(AppProcess::close);
        apps.clear();
        if (nats != null) {
            nats.close();
            nats = null;
        }
    }
}
