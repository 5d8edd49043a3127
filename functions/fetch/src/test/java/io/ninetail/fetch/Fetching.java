package io.ninetail.fetch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ninetail.core.block.BlockContext;
import io.ninetail.core.block.BlockError;
import io.ninetail.core.block.BlockFailure;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Runs the fetch block the way the triggers do, minus the transport: {@code with} JSON is read
 * into the parameters record as BlockRunner reads it, the block runs against real servers, and
 * the test gets the output or the error.
 */
final class Fetching implements AutoCloseable {

    static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();
    private static final BlockContext CONTEXT = new BlockContext("run-test", "page", 1, "in-test");

    private final Vertx vertx = Vertx.vertx();
    private final Fetch fetch;

    /** As the tests and the local launcher configure it: loopback allowed, private refused. */
    Fetching() {
        this(new TargetGuard(true, false));
    }

    Fetching(TargetGuard guard) {
        this(guard, new HttpClientOptions());
    }

    Fetching(TargetGuard guard, HttpClientOptions options) {
        fetch = new Fetch(vertx, JSON, guard, options);
    }

    static Fetch.Parameters parameters(String withJson) {
        try {
            return JSON.readerFor(Fetch.Parameters.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(withJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The message a workflow author gets for parameters the block refuses. */
    static String refusal(String withJson) {
        try {
            parameters(withJson);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof ValueInstantiationException invalid && invalid.getCause() != null) {
                return invalid.getCause().getMessage();
            }
            return e.getCause().getMessage();
        }
        throw new AssertionError("parameters were accepted: " + withJson);
    }

    Fetch.Output output(String withJson) {
        try {
            return fetch.execute(parameters(withJson), CONTEXT).await().atMost(Duration.ofSeconds(15));
        } catch (BlockFailure failure) {
            throw new AssertionError("expected an output, got " + failure.error(), failure);
        }
    }

    BlockError error(String withJson) {
        try {
            Fetch.Output output = fetch.execute(parameters(withJson), CONTEXT).await().atMost(Duration.ofSeconds(15));
            throw new AssertionError("expected an error, got the output " + output);
        } catch (BlockFailure failure) {
            return failure.error();
        }
    }

    @Override
    public void close() {
        fetch.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
