package io.ninetail.core.block;

import io.smallrye.mutiny.Uni;

/**
 * One block type: typed parameters in, typed output out. A block knows nothing about NATS or
 * HTTP; the triggers ({@code io.ninetail.core.block.trigger}) hand it the parameters of one
 * {@code block.<type>.input} event and turn what it returns into the result event.
 *
 * <p>An implementation is an {@code @ApplicationScoped} bean, stateless across calls, and safe
 * to call twice with the same input (delivery is at least once). It reports failure by failing
 * the {@link Uni} with a {@link BlockFailure}; any other exception becomes an
 * {@code INTERNAL} error.
 *
 * @param <P> the parameters record: the resolved {@code with} of the block
 * @param <O> the output, serialised to JSON
 */
public interface Block<P, O> {

    /** The block type, e.g. {@code fetch}: the second token of its subjects. */
    String type();

    Class<P> parametersType();

    /** Runs the block. Must not block the calling thread for I/O: return a pending Uni instead. */
    Uni<O> execute(P parameters, BlockContext context);
}
