package io.ninetail.core.block;

import java.util.Map;

/** How a block says it failed: carries the {@link BlockError} that the error event will hold. */
public class BlockFailure extends RuntimeException {

    private final transient BlockError error;

    public BlockFailure(BlockError error) {
        this(error, null);
    }

    public BlockFailure(BlockError error, Throwable cause) {
        super(error.code() + ": " + error.message(), cause, false, false);
        this.error = error;
    }

    public static BlockFailure retryable(String code, String message) {
        return new BlockFailure(BlockError.of(code, message, true));
    }

    public static BlockFailure permanent(String code, String message) {
        return new BlockFailure(BlockError.of(code, message, false));
    }

    public static BlockFailure of(String code, String message, boolean retryable, Map<String, Object> details) {
        return new BlockFailure(new BlockError(code, message, retryable, details));
    }

    public BlockError error() {
        return error;
    }
}
