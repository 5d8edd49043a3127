package io.ninetail.core.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.RetentionPolicy;
import io.ninetail.core.event.EventReader;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Where a block output that a run record does not copy is kept, and how it is read back.
 *
 * <p>A function's result is stored in {@code BLOCK_RESULT} before the scheduler takes it, and that
 * stream keeps it for the retention (limits retention, not a work queue). So a run record can name
 * the result's message ({@code nats-stream:BLOCK_RESULT/<sequence>}) instead of holding a copy of
 * the output that each later write of the run would store again. A {@code BLOCK_RESULT} created by
 * an older Ninetail is a work queue, which deletes a result once it is acknowledged: there, outputs
 * are copied to the payload store instead ({@code nats-object:payloads/…}). Either kind of
 * reference reads back here. Blocking calls: use them on worker threads.
 */
@ApplicationScoped
public class OutputStore {

    /** The scheme of references to a result message, e.g. {@code nats-stream:BLOCK_RESULT/1234}. */
    public static final String RESULT_SCHEME = "nats-stream:" + Topology.BLOCK_RESULT_STREAM + "/";
    /** JetStream's "no message found". */
    private static final int NO_MESSAGE = 10037;

    private final NatsConnection connection;
    private final PayloadStore payloads;
    private volatile JetStreamManagement management;
    private volatile Boolean resultsKept;

    public OutputStore(NatsConnection connection, PayloadStore payloads) {
        this.connection = connection;
        this.payloads = payloads;
    }

    public static String resultReference(long streamSequence) {
        return RESULT_SCHEME + streamSequence;
    }

    /**
     * Whether {@code BLOCK_RESULT} keeps results after they are acknowledged, so that a reference to
     * one stays good for the retention. Asked of the server once.
     */
    public boolean resultsKept() {
        Boolean kept = resultsKept;
        if (kept == null) {
            try {
                kept = management().getStreamInfo(Topology.BLOCK_RESULT_STREAM).getConfiguration()
                        .getRetentionPolicy() != RetentionPolicy.WorkQueue;
            } catch (IOException | JetStreamApiException e) {
                throw new IllegalStateException("cannot read the configuration of stream "
                        + Topology.BLOCK_RESULT_STREAM + ": " + e.getMessage(), e);
            }
            resultsKept = kept;
        }
        return kept;
    }

    /** The bytes a reference of either kind points to; {@link NoSuchElementException} when they are gone (retention). */
    public byte[] read(String reference) {
        return read(reference, Long.MAX_VALUE).orElseThrow();
    }

    /**
     * The same, unless they are larger than {@code max} bytes: then empty, without fetching what
     * the payload store holds (for a look at a run, which shows large outputs by reference).
     */
    public Optional<byte[]> read(String reference, long max) {
        if (PayloadStore.isReference(reference)) {
            return payloads.get(reference, max);
        }
        long sequence = sequenceOf(reference);
        MessageInfo message;
        try {
            message = management().getMessage(Topology.BLOCK_RESULT_STREAM, sequence);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE) {
                throw new NoSuchElementException("result " + reference + " no longer exists");
            }
            throw new IllegalStateException("could not read result " + reference + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("could not read result " + reference + ": " + e.getMessage(), e);
        }
        // A result too large for one message carries its data in the payload store.
        String dataRef = EventReader.dataReference(message.getHeaders());
        if (dataRef != null) {
            return read(dataRef, max);
        }
        byte[] data = message.getData() == null ? new byte[0] : message.getData();
        return data.length > max ? Optional.empty() : Optional.of(data);
    }

    private static long sequenceOf(String reference) {
        if (reference == null || !reference.startsWith(RESULT_SCHEME)) {
            throw new IllegalArgumentException("not an output reference: '" + reference + "'");
        }
        try {
            return Long.parseLong(reference.substring(RESULT_SCHEME.length()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an output reference: '" + reference + "'", e);
        }
    }

    private JetStreamManagement management() throws IOException {
        JetStreamManagement current = management;
        if (current == null) {
            current = connection.get().jetStreamManagement();
            management = current;
        }
        return current;
    }
}
