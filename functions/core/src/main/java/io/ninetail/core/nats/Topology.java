package io.ninetail.core.nats;

/**
 * Names of the streams and buckets of DESIGN §3. Their configuration lives in this module's
 * {@code META-INF/microprofile-config.properties}, shared by every app, so that the messaging
 * connector creates them at start-up when absent and leaves them untouched when present;
 * {@link PayloadStoreInitializer} does the same for the object store, which the connector
 * does not manage.
 */
public final class Topology {

    public static final String WORKFLOW_STREAM = "WORKFLOW";
    public static final String BLOCK_INPUT_STREAM = "BLOCK_INPUT";
    public static final String BLOCK_RESULT_STREAM = "BLOCK_RESULT";
    public static final String SCHEDULER_TIMERS_STREAM = "SCHEDULER_TIMERS";
    public static final String WORKFLOWS_BUCKET = "workflows";
    public static final String RUNS_BUCKET = "runs";
    public static final String PAYLOADS_STORE = "payloads";

    private Topology() {
    }

    /** The durable pull consumer shared by every replica of one block type's function. */
    public static String blockConsumer(String type) {
        return "block-" + type;
    }
}
