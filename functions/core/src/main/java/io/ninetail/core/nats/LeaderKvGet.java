package io.ninetail.core.nats;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.MessageInfo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a KV key the way a writer's next reader must see it: from the bucket stream's leader.
 *
 * <p>jnats reads a bucket with direct gets, which on a replicated bucket any replica answers,
 * also a follower that has not yet applied the last acknowledged write (nats-server before 2.12
 * offers no read-after-write for them). Someone who knows a write happened (an event said so, or
 * a compare-and-set just lost to it) asks the leader instead, with {@code STREAM.MSG.GET}: the
 * leader acknowledges a write only once it has stored it. It costs more than a direct get (a JSON
 * reply with the value in base64, handled by the JetStream API), so it is for those cases only.
 */
public final class LeaderKvGet {

    /** JetStream's "no message found". */
    private static final int NO_MESSAGE = 10037;
    /** Keys as NATS KV allows them: no wildcards, nothing JSON would need escaped. */
    private static final Pattern KEY = Pattern.compile("[-/_=.a-zA-Z0-9]+");

    private LeaderKvGet() {
    }

    /**
     * The key's latest value as the leader of {@code KV_<bucket>} has it; empty when the key was
     * never written, or its latest operation is a delete or purge.
     *
     * @throws IllegalStateException when the leader does not answer in time or refuses
     */
    public static Optional<KeyValueEntry> get(Connection connection, String bucket, String key, Duration timeout) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("'" + key + "' is not a valid KV key");
        }
        String stream = "KV_" + bucket;
        byte[] request = ("{\"last_by_subj\":\"$KV." + bucket + "." + key + "\"}").getBytes(StandardCharsets.UTF_8);
        Message reply;
        try {
            reply = connection.request("$JS.API.STREAM.MSG.GET." + stream, request, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading " + key + " of bucket " + bucket, e);
        }
        if (reply == null) {
            throw new IllegalStateException("the leader of " + stream + " did not answer within " + timeout);
        }
        MessageInfo info = new MessageInfo(reply, stream, false);
        if (info.hasError()) {
            if (info.getApiErrorCode() == NO_MESSAGE) {
                return Optional.empty();
            }
            throw new IllegalStateException("cannot read " + key + " of bucket " + bucket + ": " + info.getError());
        }
        KeyValueEntry entry = new KeyValueEntry(info);
        return entry.getOperation() == KeyValueOperation.PUT ? Optional.of(entry) : Optional.empty();
    }
}
