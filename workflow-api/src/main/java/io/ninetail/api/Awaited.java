package io.ninetail.api;

import io.ninetail.core.run.BlockStatus;

import java.util.Objects;

/**
 * What a caller of {@link RunWatcher#open} waits for: the run's end ({@code complete},
 * {@code failed} or {@code cancelled}), its {@code response}, and/or one block reaching one state.
 * Said explicitly (not as a predicate) because it decides what the watcher subscribes to: the end
 * and the response come through its shared subscriptions at no cost per run, a block state costs a
 * subscription of its own for as long as the watch is open.
 *
 * @param block the block state awaited, or null
 */
public record Awaited(boolean end, boolean response, BlockState block) {

    /** One block of the run reaching {@code status}. */
    public record BlockState(String blockId, BlockStatus status) {
        public BlockState {
            Objects.requireNonNull(blockId, "blockId");
            Objects.requireNonNull(status, "status");
        }
    }

    /** {@code ?wait=…}: the finished run. */
    public static final Awaited END = new Awaited(true, false, null);
    /** A webhook with a response block: its answer, or the run's end if that comes first. */
    public static final Awaited END_OR_RESPONSE = new Awaited(true, true, null);

    public Awaited {
        if (!end && !response && block == null) {
            throw new IllegalArgumentException("a watch must wait for something");
        }
    }

    /** A webhook without a response block: its hook block having accepted the request, or the run's end. */
    public static Awaited endOrBlock(String blockId, BlockStatus status) {
        return new Awaited(true, false, new BlockState(blockId, status));
    }

    /** Whether the shared end/response subscriptions carry (some of) what is awaited. */
    boolean needsRunEvents() {
        return end || response;
    }

    boolean accepts(RunWatcher.Signal signal) {
        return end && signal.isEnd()
                || response && signal.isResponse()
                || block != null && signal.isBlockState(block.blockId(), block.status().token());
    }
}
