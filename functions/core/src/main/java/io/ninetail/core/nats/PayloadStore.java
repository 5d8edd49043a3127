package io.ninetail.core.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.ObjectStore;
import io.nats.client.api.ObjectInfo;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The {@code payloads} object store: where data too large for one message waits for its
 * reader (the claim-check pattern). An event that carries no data but a {@code dataref} of
 * {@link #reference(String)} form points here. Blocking calls: use them on worker threads.
 */
@ApplicationScoped
public class PayloadStore {

    /** The scheme of references into this store, e.g. {@code nats-object:payloads/r1%2Fpage}. */
    public static final String SCHEME = "nats-object:" + Topology.PAYLOADS_STORE + "/";

    private final NatsConnection connection;
    private volatile ObjectStore store;

    public PayloadStore(NatsConnection connection) {
        this.connection = connection;
    }

    /** Stores {@code data} under {@code name} (replacing what was there) and returns its reference. */
    public String put(String name, byte[] data) {
        try {
            store().put(name, data);
            return reference(name);
        } catch (IOException | JetStreamApiException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("could not store payload '" + name + "' (" + data.length + " bytes)", e);
        }
    }

    /** The data a reference points to; {@link NoSuchElementException} when it is gone (retention). */
    public byte[] get(String reference) {
        return get(reference, Long.MAX_VALUE).orElseThrow();
    }

    /** The same, unless it is larger than {@code max} bytes: then empty, and nothing is fetched. */
    public Optional<byte[]> get(String reference, long max) {
        String name = nameOf(reference);
        try {
            ObjectInfo info = store().getInfo(name);
            if (info == null) {
                throw new NoSuchElementException("payload '" + name + "' no longer exists");
            }
            if (info.getSize() > max) {
                return Optional.empty();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store().get(name, out);
            return Optional.of(out.toByteArray());
        } catch (IOException | JetStreamApiException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("could not read payload '" + name + "'", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String reference(String name) {
        return SCHEME + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    private static String nameOf(String reference) {
        if (!reference.startsWith(SCHEME)) {
            throw new IllegalArgumentException("not a payload reference: '" + reference + "'");
        }
        return URLDecoder.decode(reference.substring(SCHEME.length()), StandardCharsets.UTF_8);
    }

    public static boolean isReference(String value) {
        return value != null && value.startsWith(SCHEME);
    }

    private ObjectStore store() throws IOException {
        ObjectStore current = store;
        if (current == null) {
            current = connection.get().objectStore(Topology.PAYLOADS_STORE);
            store = current;
        }
        return current;
    }
}
