package io.ninetail.core.run;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.ninetail.core.block.BlockError;

import java.time.Instant;

/**
 * One try of a block.
 *
 * @param endedAt null while it runs
 * @param error   why it failed; null when it succeeded or still runs
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Attempt(int number, Instant startedAt, Instant endedAt, BlockError error) {

    public Attempt end(Instant at, BlockError failure) {
        return new Attempt(number, startedAt, at, failure);
    }
}
