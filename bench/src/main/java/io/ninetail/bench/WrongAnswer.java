package io.ninetail.bench;

import java.io.IOException;

/** The system answered, but not what a correct run answers: counted as an error like a failure. */
public final class WrongAnswer extends IOException {
    public WrongAnswer(String message) {
        super(message);
    }
}
