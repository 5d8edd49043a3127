package io.ninetail.core.block;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ninetail.core.event.Event;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlockRunnerTest {

    /** Greets; fails on demand. */
    static final class Greet implements Block<Greet.Parameters, Greet.Output> {
        record Parameters(String name, String fail) {
            Parameters {
                if (name == null) {
                    throw new IllegalArgumentException("parameter 'name' is required");
                }
            }
        }

        record Output(String greeting) {
        }

        @Override
        public String type() {
            return "greet";
        }

        @Override
        public Class<Parameters> parametersType() {
            return Parameters.class;
        }

        @Override
        public Uni<Output> execute(Parameters parameters, BlockContext context) {
            if ("bug".equals(parameters.fail())) {
                throw new IllegalStateException("boom");
            }
            if ("busy".equals(parameters.fail())) {
                return Uni.createFrom().failure(BlockFailure.retryable("BUSY", "try later"));
            }
            if ("hang".equals(parameters.fail())) {
                return Uni.createFrom().nothing();
            }
            return Uni.createFrom().item(new Output("hello " + parameters.name() + " #" + context.attempt()));
        }
    }

    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
    private final BlockRunner runner = new BlockRunner(new Greet(), mapper, Duration.ofMillis(200));

    private Event input(String type, String json) {
        return new Event("in-1", "/test", type, OffsetDateTime.now(), "r1", "hi", 3,
                json.getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode run(Event input, String expectedType) throws Exception {
        Event result = runner.run(input).await().atMost(Duration.ofSeconds(5));
        assertEquals(expectedType, result.type());
        assertEquals("r1", result.runId());
        assertEquals("hi", result.blockId());
        assertEquals(3, result.attempt());
        assertEquals("/ninetail/functions/greet", result.source());
        return mapper.readTree(result.data());
    }

    @Test
    void outputBecomesOutputEventWithDerivedId() throws Exception {
        Event result = runner.run(input("block.greet.input", "{\"name\":\"ada\"}")).await().indefinitely();
        assertEquals("in-1/output", result.id(), "the same input always yields the same result id");
        assertEquals("hello ada #3", run(input("block.greet.input", "{\"name\":\"ada\"}"), "block.greet.output")
                .get("greeting").asText());
    }

    @Test
    void blockFailureBecomesErrorEventWithItsCode() throws Exception {
        JsonNode error = run(input("block.greet.input", "{\"name\":\"ada\",\"fail\":\"busy\"}"), "block.greet.error");
        assertEquals("BUSY", error.get("code").asText());
        assertTrue(error.get("retryable").asBoolean());
    }

    @Test
    void unexpectedExceptionIsAPermanentInternalError() throws Exception {
        JsonNode error = run(input("block.greet.input", "{\"name\":\"ada\",\"fail\":\"bug\"}"), "block.greet.error");
        assertEquals("INTERNAL", error.get("code").asText());
        assertEquals("IllegalStateException: boom", error.get("message").asText());
        assertFalse(error.get("retryable").asBoolean());
    }

    @Test
    void parameterProblemsAreNamed() throws Exception {
        assertEquals("unknown parameter 'nmae' (known: fail, name)",
                run(input("block.greet.input", "{\"nmae\":\"ada\"}"), "block.greet.error").get("message").asText());
        assertEquals("parameter 'name' is required",
                run(input("block.greet.input", "{}"), "block.greet.error").get("message").asText());
        JsonNode notJson = run(input("block.greet.input", "{name"), "block.greet.error");
        assertEquals("INVALID_PARAMETERS", notJson.get("code").asText());
        assertTrue(notJson.get("message").asText().startsWith("parameters are not valid JSON"), notJson.toString());
        assertEquals("parameters must be a JSON object, got array",
                run(input("block.greet.input", "[1]"), "block.greet.error").get("message").asText());
        assertEquals("parameters must be a JSON object, got nothing",
                run(input("block.greet.input", ""), "block.greet.error").get("message").asText());
        assertEquals("parameters must be a JSON object, got null",
                run(input("block.greet.input", "null"), "block.greet.error").get("message").asText());
    }

    @Test
    void eventOfAnotherTypeIsABadEvent() throws Exception {
        JsonNode error = run(input("block.fetch.input", "{\"name\":\"ada\"}"), "block.greet.error");
        assertEquals("BAD_EVENT", error.get("code").asText());
    }

    @Test
    void blockPastTheDeadlineIsARetryableTimeout() throws Exception {
        JsonNode error = run(input("block.greet.input", "{\"name\":\"ada\",\"fail\":\"hang\"}"), "block.greet.error");
        assertEquals("TIMEOUT", error.get("code").asText());
        assertTrue(error.get("retryable").asBoolean());
    }

    @Test
    void everyExecutionIsCountedByOutcomeAndTimed() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BlockRunner counted = new BlockRunner(new Greet(), mapper, Duration.ofMillis(200), new BlockMetrics(registry, "greet"));

        counted.run(input("block.greet.input", "{\"name\":\"ada\"}")).await().indefinitely();
        counted.run(input("block.greet.input", "{\"name\":\"bob\"}")).await().indefinitely();
        counted.run(input("block.greet.input", "{\"name\":\"ada\",\"fail\":\"busy\"}")).await().indefinitely();

        assertEquals(2, registry.get("ninetail.block.executions").tags("type", "greet", "outcome", "output").counter().count());
        assertEquals(1, registry.get("ninetail.block.executions").tags("type", "greet", "outcome", "error").counter().count());
        assertEquals(2, registry.get("ninetail.block.duration").tags("type", "greet", "outcome", "output").timer().count());
        assertEquals(0, registry.get("ninetail.block.executions.active").tags("type", "greet").gauge().value());
    }

    @Test
    void aRunningExecutionIsActiveUntilItsResultExists() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BlockRunner counted = new BlockRunner(new Greet(), mapper, Duration.ofMillis(300), new BlockMetrics(registry, "greet"));

        var pending = counted.run(input("block.greet.input", "{\"name\":\"ada\",\"fail\":\"hang\"}"))
                .subscribeAsCompletionStage();
        assertEquals(1, registry.get("ninetail.block.executions.active").gauge().value());
        pending.toCompletableFuture().join();
        assertEquals(0, registry.get("ninetail.block.executions.active").gauge().value());
        assertEquals(1, registry.get("ninetail.block.executions").tags("outcome", "error").counter().count(), "the timeout");
    }
}
