package io.ninetail.core.nats;

import java.util.regex.Pattern;

/**
 * Every NATS subject Ninetail uses, and the CloudEvent type derived from each (DESIGN §3).
 * No other class builds a subject from strings.
 *
 * <pre>
 * workflow.&lt;runId&gt;.start | .cancel | .response | .complete | .failed | .cancelled
 * workflow.&lt;runId&gt;.block.&lt;blockId&gt;.&lt;state&gt;
 * block.&lt;type&gt;.&lt;runId&gt;.&lt;blockId&gt;.input | .output | .error
 * </pre>
 */
public final class Subjects {

    /** Block ids (DESIGN §4) and block types share this shape: one safe subject token. */
    public static final Pattern BLOCK_ID = Pattern.compile("^[a-z][a-z0-9_-]{0,62}$");
    /** Run ids are generated, but arrive from outside on the HTTP trigger: keep them to one token. */
    public static final Pattern RUN_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

    public static final String WORKFLOW_ALL = "workflow.>";
    public static final String BLOCK_INPUT_ALL = "block.*.*.*.input";
    public static final String BLOCK_OUTPUT_ALL = "block.*.*.*.output";
    public static final String BLOCK_ERROR_ALL = "block.*.*.*.error";
    public static final String WORKFLOW_START_ALL = "workflow.*.start";
    public static final String WORKFLOW_CANCEL_ALL = "workflow.*.cancel";
    public static final String SCHEDULER_TIMER_ALL = "scheduler.timer.>";

    private Subjects() {
    }

    /** What a block instance receives or emits. */
    public enum BlockLeg {
        INPUT, OUTPUT, ERROR;

        public String token() {
            return name().toLowerCase();
        }
    }

    /** One block instance: {@code <type>.<runId>.<blockId>}. */
    public record BlockAddress(String type, String runId, String blockId) {
        public BlockAddress {
            requireToken("block type", type, BLOCK_ID);
            requireToken("run id", runId, RUN_ID);
            requireToken("block id", blockId, BLOCK_ID);
        }

        public String subject(BlockLeg leg) {
            return "block." + type + "." + runId + "." + blockId + "." + leg.token();
        }
    }

    public static String blockInputFilter(String type) {
        requireToken("block type", type, BLOCK_ID);
        return "block." + type + ".*.*.input";
    }

    public static String blockEventType(String type, BlockLeg leg) {
        return "block." + type + "." + leg.token();
    }

    /**
     * Reads a block subject back into its address.
     *
     * @throws IllegalArgumentException naming what is wrong with the subject
     */
    public static BlockAddress parseBlockSubject(String subject, BlockLeg expected) {
        String[] tokens = subject == null ? new String[0] : subject.split("\\.", -1);
        if (tokens.length != 5 || !"block".equals(tokens[0]) || !expected.token().equals(tokens[4])) {
            throw new IllegalArgumentException("not a block." + "<type>.<runId>.<blockId>."
                    + expected.token() + " subject: '" + subject + "'");
        }
        return new BlockAddress(tokens[1], tokens[2], tokens[3]);
    }

    public static String workflowStart(String runId) {
        return workflow(runId, "start");
    }

    public static String workflowCancel(String runId) {
        return workflow(runId, "cancel");
    }

    public static String workflowResponse(String runId) {
        return workflow(runId, "response");
    }

    public static String workflowComplete(String runId) {
        return workflow(runId, "complete");
    }

    public static String workflowFailed(String runId) {
        return workflow(runId, "failed");
    }

    public static String workflowCancelled(String runId) {
        return workflow(runId, "cancelled");
    }

    /** The scheduler's durable wake-ups for one run (retry backoffs, timeouts). */
    public static String schedulerTimer(String runId) {
        requireToken("run id", runId, RUN_ID);
        return "scheduler.timer." + runId;
    }

    /** Everything about one run, for watchers. */
    public static String workflowAll(String runId) {
        return workflow(runId, ">");
    }

    public static String blockState(String runId, String blockId, String state) {
        requireToken("block id", blockId, BLOCK_ID);
        return workflow(runId, "block." + blockId + "." + state.toLowerCase());
    }

    /**
     * The CloudEvent type of a subject: the subject with the ids taken out, e.g.
     * {@code block.fetch.r1.page.output → block.fetch.output},
     * {@code workflow.r1.block.page.running → workflow.block.running}.
     */
    public static String eventType(String subject) {
        String[] t = subject.split("\\.");
        if (t.length == 5 && "block".equals(t[0])) {
            return "block." + t[1] + "." + t[4];
        }
        if (t.length == 3 && "workflow".equals(t[0])) {
            return "workflow." + t[2];
        }
        if (t.length == 5 && "workflow".equals(t[0]) && "block".equals(t[2])) {
            return "workflow.block." + t[4];
        }
        throw new IllegalArgumentException("not a Ninetail subject: '" + subject + "'");
    }

    private static String workflow(String runId, String rest) {
        requireToken("run id", runId, RUN_ID);
        return "workflow." + runId + "." + rest;
    }

    private static void requireToken(String what, String value, Pattern shape) {
        if (value == null || !shape.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' does not match " + shape.pattern());
        }
    }
}
