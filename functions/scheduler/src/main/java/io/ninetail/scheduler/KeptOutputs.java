package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Message;
import io.ninetail.core.block.BlockFailure;
import io.ninetail.core.nats.OutputStore;
import io.ninetail.core.nats.PayloadStore;
import io.ninetail.core.nats.Subjects.BlockAddress;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Block outputs that run records hold by reference rather than by copy.
 *
 * <p>A run record is written again at every step of its run, so an output copied into it is stored
 * once per later step: for the benchmarks' 20 KB page, four times. An output larger than
 * {@code ninetail.scheduler.inline-output-max} is therefore named by the result message that
 * brought it ({@link OutputStore}); the record stays small. The blocks that read it are usually
 * dispatched by this replica a moment later, so the parsed output is also kept here, bounded by
 * size; a replica that did not see it (after a restart, or when another one took the result)
 * reads it back from the stream.
 */
@ApplicationScoped
public class KeptOutputs {

    /** The code of a block that reads an output no longer stored. */
    public static final String OUTPUT_GONE = "OUTPUT_GONE";
    private static final Logger LOG = Logger.getLogger(KeptOutputs.class);
    /** What a work-queue BLOCK_RESULT (an older deployment's) copies to the payload store, as Ninetail did then. */
    private static final int COPY_MIN = 32 * 1024;

    private record Held(JsonNode output, int bytes) {
    }

    private final OutputStore store;
    private final PayloadStore payloads;
    private final ObjectMapper mapper;
    private final int inlineMax;
    private final long heldMax;
    private final Map<String, Held> recent = new LinkedHashMap<>(64, 0.75f, true);
    private long heldBytes;
    private final AtomicBoolean warned = new AtomicBoolean();

    public KeptOutputs(OutputStore store, PayloadStore payloads, ObjectMapper mapper,
                       @ConfigProperty(name = "ninetail.scheduler.inline-output-max", defaultValue = "1024") int inlineMax,
                       @ConfigProperty(name = "ninetail.scheduler.kept-output-cache-bytes", defaultValue = "16777216") long heldMax) {
        this.store = store;
        this.payloads = payloads;
        this.mapper = mapper;
        this.inlineMax = inlineMax;
        this.heldMax = heldMax;
    }

    /**
     * The reference under which a run record holds this output, or null when it is small enough to
     * copy. {@code result} is the message that brought it.
     */
    public String keep(Message result, BlockAddress address, int attempt, byte[] bytes, JsonNode output) {
        if (bytes.length <= inlineMax) {
            return null;
        }
        String reference;
        if (store.resultsKept()) {
            reference = OutputStore.resultReference(result.metaData().streamSequence());
        } else if (bytes.length > COPY_MIN) {
            warnOnce();
            reference = payloads.put("run/" + address.runId() + "/" + address.blockId() + "/" + attempt, bytes);
        } else {
            return null;
        }
        remember(reference, output, bytes.length);
        return reference;
    }

    /**
     * The output a reference names: from memory when this replica saw it, else read back. One
     * that is no longer stored (a limit set on the stream removed it before its run ended) is
     * the reading block's failure, {@link #OUTPUT_GONE}, not an event retried for ever.
     */
    public JsonNode get(String reference) {
        synchronized (this) {
            Held held = recent.get(reference);
            if (held != null) {
                return held.output();
            }
        }
        byte[] bytes;
        try {
            bytes = store.read(reference);
        } catch (NoSuchElementException gone) {
            throw BlockFailure.permanent(OUTPUT_GONE, "an output this block reads (" + reference
                    + ") is no longer stored: " + gone.getMessage());
        }
        try {
            JsonNode output = ReceivedObject.read(mapper, bytes);
            remember(reference, output, bytes.length);
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("output " + reference + " is not JSON", e);
        }
    }

    private synchronized void remember(String reference, JsonNode output, int bytes) {
        if (bytes > heldMax || recent.containsKey(reference)) {
            return;
        }
        recent.put(reference, new Held(output, bytes));
        heldBytes += bytes;
        Iterator<Held> eldest = recent.values().iterator();
        while (heldBytes > heldMax && eldest.hasNext()) {
            heldBytes -= eldest.next().bytes();
            eldest.remove();
        }
    }

    private void warnOnce() {
        if (warned.compareAndSet(false, true)) {
            LOG.warn("stream BLOCK_RESULT is a work queue (made by an older Ninetail): large outputs are copied to"
                    + " the payload store. Once no run is in flight, delete the stream (nats stream rm BLOCK_RESULT)"
                    + " and restart the scheduler: it is made again keeping results, and records name them instead");
        }
    }
}
