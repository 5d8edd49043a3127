package io.ninetail.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.Nats;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.ninetail.core.event.Event;
import io.ninetail.core.event.NatsEventCodec;
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
 * {"never": true}            acknowledge the input and never answer (a function that lost it)
 * {"diesDeliveries": 1}      the first deliveries of each input, this many, are neither acknowledged
 *                            nor answered (the function died holding them); a later delivery is
 *                            handled as the rest of the value says
 * {"bytes": 3000000}         answer {"blob": "xxx…"} of that many characters
 * </pre>
 * Every delivery is recorded as an execution, so tests can count and time them. Large outputs go
 * through the payload store like any function's (it uses the real EventPublisher given to it).
 *
 * <p>Its consumer is the function's ({@code block-transform}, as {@code JetStreamTrigger} makes it)
 * but with a short ack-wait, so that an input whose function died comes back within a test; every
 * other input is acknowledged as soon as it arrives.
 */
final class TestExecutor implements AutoCloseable {

    /**
     * @param delivery which delivery of the input this was: 1, then more for each redelivery
     * @param endedAt  when it answered; null when it never did
     */
    record Execution(String runId, String blockId, int attempt, long delivery, Instant startedAt, Instant endedAt) {
    }

    interface Sender {
        void send(String subject, Event event);
    }

    /** How soon JetStream delivers again an input that nobody acknowledged. */
    static final Duration ACK_WAIT = Duration.ofSeconds(1);
    /** As {@code ninetail.block.max-deliver}. */
    static final int MAX_DELIVER = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final Sender sender;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(4);
    private final List<Execution> executions = new CopyOnWriteArrayList<>();
    private final MessageConsumer consumer;

    TestExecutor(String natsUrl, Sender sender) throws Exception {
        this.connection = Nats.connect(natsUrl);
        this.sender = sender;
        // Not a DurableConsumer: that one settles every message and says "in progress" meanwhile,
        // which a function that died does not.
        String durable = Topology.blockConsumer("transform");
        connection.jetStreamManagement().addOrUpdateConsumer(Topology.BLOCK_INPUT_STREAM, ConsumerConfiguration.builder()
                .durable(durable)
                .filterSubject(Subjects.blockInputFilter("transform"))
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(ACK_WAIT)
                .maxDeliver(MAX_DELIVER)
                .build());
        this.consumer = connection.getConsumerContext(Topology.BLOCK_INPUT_STREAM, durable).consume(this::onInput);
    }

    private void onInput(Message message) {
        Event input = NatsEventCodec.decode(message.getHeaders(), message.getData());
        BlockAddress address = Subjects.parseBlockSubject(message.getSubject(), BlockLeg.INPUT);
        long delivery = message.metaData().deliveredCount();
        Instant start = Instant.now();
        JsonNode value;
        try {
            value = JSON.readTree(input.data()).path("value");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (delivery <= value.path("diesDeliveries").asLong(0)) {
            executions.add(new Execution(input.runId(), input.blockId(), input.attempt(), delivery, start, null));
            return;
        }
        message.ack();
        if (value.path("never").asBoolean(false)) {
            executions.add(new Execution(input.runId(), input.blockId(), input.attempt(), delivery, start, null));
            return;
        }
        long sleep = value.path("sleepMs").asLong(0);
        timers.schedule(() -> answer(address, input, delivery, value, start), sleep, TimeUnit.MILLISECONDS);
    }

    private void answer(BlockAddress address, Event input, long delivery, JsonNode value, Instant start) {
        executions.add(new Execution(input.runId(), input.blockId(), input.attempt(), delivery, start, Instant.now()));
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
        consumer.stop();
        consumer.close();
        timers.shutdownNow();
        connection.close();
    }
}
