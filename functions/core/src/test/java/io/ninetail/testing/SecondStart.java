package io.ninetail.testing;

import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamInfo;
import io.ninetail.testing.NatsServerResource.RunningNats;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streams, buckets and durable consumers are created by whichever process starts first; every
 * later start, of the same app as another replica or again with other settings, leaves them
 * exactly as they were. Each app's {@code SecondStartIT} runs this against its packaged jar.
 */
public final class SecondStart {

    private static final Duration START = Duration.ofSeconds(60);

    private SecondStart() {
    }

    /**
     * @param expected       streams (by name) and consumers ({@code "consumer <name>"}) the app's
     *                       first start must have created
     * @param otherSettings  settings of the app that would shape what it creates (retention,
     *                       ack-waits), given other values for the last start
     */
    public static void assertChangesNothing(String app, Path appDir, Collection<String> expected,
                                            Map<String, String> otherSettings) throws Exception {
        try (RunningNats nats = NatsServerResource.startServer(); JetStreamProbe probe = new JetStreamProbe(nats.url())) {
            Map<String, String> config = Map.of("quarkus.messaging.nats.connection.servers", nats.url());
            Map<String, String> afterFirst;
            try (AppProcess first = AppProcess.start(app + "-1", appDir, config).awaitReady(START)) {
                afterFirst = topology(probe.management());
                assertTrue(afterFirst.keySet().containsAll(expected), afterFirst.keySet().toString());

                try (AppProcess second = AppProcess.start(app + "-2", appDir, config).awaitReady(START)) {
                    assertEquals(afterFirst, topology(probe.management()), "a second replica starting changes nothing");
                }
            }
            // Changing a live deployment's retention or ack-wait is an operator's decision
            // (docs/architecture.md), not a side effect of a restart.
            Map<String, String> changed = new HashMap<>(otherSettings);
            changed.putAll(config);
            try (AppProcess restarted = AppProcess.start(app + "-3", appDir, changed).awaitReady(START)) {
                assertEquals(afterFirst, topology(probe.management()), "a restart with other settings changes nothing");
            }
        }
    }

    /** Every stream's and consumer's configuration and creation time, by name. */
    private static Map<String, String> topology(JetStreamManagement management) throws Exception {
        Map<String, String> state = new TreeMap<>();
        for (StreamInfo stream : management.getStreams()) {
            String name = stream.getConfiguration().getName();
            state.put(name, stream.getConfiguration().toJson() + " created " + stream.getCreateTime());
            for (ConsumerInfo consumer : management.getConsumers(name)) {
                state.put("consumer " + consumer.getName(),
                        consumer.getConsumerConfiguration().toJson() + " created " + consumer.getCreationTime());
            }
        }
        return state;
    }
}
