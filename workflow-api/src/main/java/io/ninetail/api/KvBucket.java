package io.ninetail.api;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A JetStream key-value bucket with the api's error handling: a lost compare-and-set is
 * {@link Conflict}, anything else a 503 problem (NATS is where everything lives; without it the
 * api can only say so). Blocking: use on worker threads.
 */
final class KvBucket {

    /** JetStream's "wrong last sequence": the key was written by someone else first. */
    private static final int WRONG_LAST_SEQUENCE = 10071;

    /** Someone else wrote the key first (or it exists, for create). */
    static final class Conflict extends Exception {
        Conflict(String key) {
            super(key, null, false, false);
        }
    }

    private final String name;
    private final KeyValue bucket;

    KvBucket(Connection connection, String name) {
        this.name = name;
        try {
            this.bucket = connection.keyValue(name);
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    Optional<KeyValueEntry> get(String key) {
        try {
            KeyValueEntry entry = bucket.get(key);
            return entry == null || entry.getValue() == null ? Optional.empty() : Optional.of(entry);
        } catch (IOException | JetStreamApiException e) {
            throw unavailable(e);
        }
    }

    long create(String key, byte[] value) throws Conflict {
        try {
            return bucket.create(key, value);
        } catch (JetStreamApiException e) {
            throw conflictOr(e, key);
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    long update(String key, byte[] value, long revision) throws Conflict {
        try {
            return bucket.update(key, value, revision);
        } catch (JetStreamApiException e) {
            throw conflictOr(e, key);
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    void delete(String key) {
        try {
            bucket.delete(key);
        } catch (IOException | JetStreamApiException e) {
            throw unavailable(e);
        }
    }

    /** Keys matching a subject-style filter ({@code *} one token, {@code >} the rest). */
    List<String> keys(String filter) {
        try {
            return bucket.keys(filter);
        } catch (IOException | JetStreamApiException e) {
            throw unavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        }
    }

    List<String> keys() {
        return keys(">");
    }

    private Conflict conflictOr(JetStreamApiException e, String key) {
        if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
            return new Conflict(key);
        }
        throw unavailable(e);
    }

    private ProblemException unavailable(Exception e) {
        return unavailable("bucket " + name, e);
    }

    static ProblemException unavailable(String what, Throwable e) {
        return Problem.of(503, "nats-unavailable", "NATS is unavailable",
                what + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())).exception();
    }
}
