package io.ninetail.core.definition;

/** An expression that cannot be compiled; the message completes "invalid expression …: ". */
final class InvalidExpressionException extends Exception {
    InvalidExpressionException(String message) {
        super(message, null, false, false);
    }
}
