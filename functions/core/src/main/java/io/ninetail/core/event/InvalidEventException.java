package io.ninetail.core.event;

/** A message that is not a Ninetail CloudEvent; the message names the missing or bad attribute. */
public class InvalidEventException extends RuntimeException {
    public InvalidEventException(String message) {
        super(message);
    }
}
