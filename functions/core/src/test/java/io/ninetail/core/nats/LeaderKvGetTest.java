package io.ninetail.core.nats;

import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.StorageType;
import io.ninetail.testing.NatsServerResource;
import io.ninetail.testing.NatsServerResource.RunningNats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A leader read answers what jnats' own (direct) read answers on one server, for every kind of entry. */
class LeaderKvGetTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static RunningNats nats;
    private static Connection connection;
    private static KeyValue bucket;

    @BeforeAll
    static void start() throws Exception {
        nats = NatsServerResource.startServer();
        connection = Nats.connect(nats.url());
        connection.keyValueManagement().create(KeyValueConfiguration.builder().name("things")
                .storageType(StorageType.File).maxHistoryPerKey(5).build());
        bucket = connection.keyValue("things");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (connection != null) {
            connection.close();
        }
        if (nats != null) {
            nats.close();
        }
    }

    @Test
    void theLatestValueWithItsRevision() throws Exception {
        bucket.put("run.a", "first".getBytes(StandardCharsets.UTF_8));
        long revision = bucket.put("run.a", "second".getBytes(StandardCharsets.UTF_8));
        bucket.put("run.b", "other".getBytes(StandardCharsets.UTF_8));

        KeyValueEntry entry = LeaderKvGet.get(connection, "things", "run.a", TIMEOUT).orElseThrow();

        assertEquals("second", entry.getValueAsString());
        assertEquals(revision, entry.getRevision());
        assertEquals(bucket.get("run.a").getRevision(), entry.getRevision(), "the revision a compare-and-set names");
    }

    @Test
    void aKeyNeverWrittenDeletedOrPurgedIsEmpty() throws Exception {
        bucket.put("gone", "x".getBytes(StandardCharsets.UTF_8));
        bucket.delete("gone");
        bucket.put("purged", "x".getBytes(StandardCharsets.UTF_8));
        bucket.purge("purged");

        assertEquals(Optional.empty(), LeaderKvGet.get(connection, "things", "never", TIMEOUT));
        assertEquals(Optional.empty(), LeaderKvGet.get(connection, "things", "gone", TIMEOUT));
        assertEquals(Optional.empty(), LeaderKvGet.get(connection, "things", "purged", TIMEOUT));
    }

    @Test
    void aMissingBucketOrABadKeyIsNamed() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> LeaderKvGet.get(connection, "nothing", "run.a", TIMEOUT));
        assertTrue(missing.getMessage().contains("bucket nothing"), missing.getMessage());

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> LeaderKvGet.get(connection, "things", "run.*", TIMEOUT));
        assertTrue(bad.getMessage().contains("run.*"), bad.getMessage());
    }
}
