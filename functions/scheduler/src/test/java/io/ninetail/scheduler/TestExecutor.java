package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.ninetail.core.event.Event;
import io.ninetail.core.event.NatsEventCodec;
import io.ninetail.core.nats.DurableConsumer;
import io.ninetail.core.nats.Subjects.BlockAddress;
import io.ninetail.core.nats.Subjects.BlockLeg;
import io.ninetail.core.nats.Subjects;
import io.ninetail.core.nats.Topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A test-only function for block type {@code transform}, steered by the block's {@code value}:
 * <pre>
 * {"output": any}            answer this output (default: the value itself)
 * {"sleepMs": 200}           answer after this long
 * {"failAttempts": 2}        attempts 1..2 fail with the retryable error FLAKY
 * {"fail": "CODE"}           every attempt fails with CODE, not retryable
 * {"never": true}            never answer (a dead function)
 * {"bytes": 3000000}         answer {"blob": "xxx…"} of that many characters
 * </pre>
 * Every execution is recorded, so tests can count and time them. Large outputs go through the
 * payload store like any function's (it uses the real EventPublisher given to it).
 */
final class TestExecutor implements AutoCloseable {

    record Execution(String runId, String blockId, int attempt, Instant startedAt, Instant endedAt) {
    }

    interface Sender {
        void send(String subject, Event event);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final Sender sender;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(4);
    private final List<Execution> executions = new CopyOnWriteArrayList<>();
    private final DurableConsumer consumer;

    TestExecutor(String natsUrl, Sender sender) throws Exception {
        this.connection = Nats.connect(natsUrl);
        this.sender = sender;
        ConsumerConfiguration configuration = ConsumerConfiguration.builder()
                .durable(Topology.blockConsumer("transform"))
                .filterSubject(Subjects.blockInputFilter("transform"))
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(Duration.ofSeconds(30))
                .build();
        this.consumer = DurableConsumer.start(connection, Topology.BLOCK_INPUT_STREAM, configuration, 256, message -> {
            onInput(message);
            return CompletableFuture.completedFuture(DurableConsumer.Outcome.ACK);
        });
    }

    private void onInput(Message message) {
        Event input = NatsEventCodec.decode(message.getHeaders(), message.getData());
        BlockAddress address = Subjects.parseBlockSubject(message.getSubject(), BlockLeg.INPUT);
        Instant start = Instant.now();
        JsonNode value;
        try {
            value = JSON.readTree(input.data()).path("value");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (value.path("never").asBoolean(false)) {
            executions.add(new Execution(input.runId(), input.blockId(), input.attempt(), start, null));
            return;
        }
        long sleep = value.path("sleepMs").asLong(0);
        timers.schedule(() -> answer(address, input, value, start), sleep, TimeUnit.MILLISECONDS);
    }

    private void answer(BlockAddress address, Event input, JsonNode value, Instant start) {
        executions.add(new Execution(input.runId(), input.blockId(), input.attempt(), start, Instant.now()));
        String failCode = value.path("fail").asText(null);
        int failAttempts = value.path("failAttempts").asInt(0);
        if (failCode != null || input.attempt() <= failAttempts) {
            String code = failCode != null ? failCode : "FLAKY";
            String error = "{\"code\":\"" + code + "\",\"message\":\"attempt " + input.attempt() + " failed\","
                    + "\"retryable\":" + (failCode == null) + ",\"details\":{}}";
            sender.send(address.subject(BlockLeg.ERROR), result(input, "error", error.getBytes(StandardCharsets.UTF_8)));
            return;
        }
        JsonNode output;
        if (value.has("bytes")) {
            ObjectNode blob = JSON.createObjectNode();
            blob.put("blob", "x".repeat(value.get("bytes").asInt()));
            output = blob;
        } else {
            output = value.has("output") ? value.get("output") : value;
        }
        try {
            sender.send(address.subject(BlockLeg.OUTPUT), result(input, "output", JSON.writeValueAsBytes(output)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Event result(Event input, String leg, byte[] data) {
        return new Event(input.id() + "/" + leg, "/test/executor", "block.transform." + leg,
                OffsetDateTime.now(ZoneOffset.UTC), input.runId(), input.blockId(), input.attempt(), data);
    }

    List<Execution> executions(String runId) {
        return executions.stream().filter(e -> e.runId().equals(runId)).toList();
    }

    List<Execution> executions(String runId, String blockId) {
        return executions.stream().filter(e -> e.runId().equals(runId) && e.blockId().equals(blockId)).toList();
    }

    @Override
    public void close() throws Exception {
        consumer.close();
        timers.shutdownNow();
        connection.close();
    }
}
