package io.ninetail.scheduler;

import io.nats.client.Message;
import io.nats.client.Subscription;
import io.ninetail.core.event.Event;
import io.ninetail.core.event.NatsEventCodec;
import io.ninetail.scheduler.RunDriver.Ended;
import io.ninetail.scheduler.RunDriver.Started;
import io.ninetail.testing.JetStreamProbe;
import io.ninetail.testing.NatsServerResource;
import io.ninetail.testing.NatsUrl;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packaged scheduler (the jar here; the native binary with -Dnative): a run goes from start to
 * completion, its record (de)serialised in the runs bucket at every step.
 */
@QuarkusIntegrationTest
@WithTestResource(NatsServerResource.class)
class SchedulerIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @NatsUrl
    String natsUrl;

    @Test
    void aRunDispatchesItsBlockAndCompletesOnItsOutput() throws Exception {
        try (JetStreamProbe nats = new JetStreamProbe(natsUrl)) {
            Subscription inputs = nats.subscribe("block.transform.*.*.input");
            RunDriver driver = new RunDriver(nats);
            Started run = driver.start("""
                    {"name": "it", "blocks": [
                      {"id": "shape", "type": "transform", "with": {"value": {"n": "${ $input.n + 1 }"}},
                       "retry": {"maxAttempts": 2, "delay": "PT1S"}, "timeout": "PT20S"}]}
                    """, "{\"n\": 1}");

            Message input = JetStreamProbe.next(inputs, WAIT);
            Event event = NatsEventCodec.decode(input.getHeaders(), input.getData());
            assertEquals(run.runId(), event.runId());
            assertEquals("{\"value\":{\"n\":2}}", new String(event.data(), StandardCharsets.UTF_8));
            nats.publish("block.transform." + run.runId() + ".shape.output", new Event(event.id() + "/output", "/test",
                    "block.transform.output", OffsetDateTime.now(ZoneOffset.UTC), run.runId(), "shape", 1,
                    "{\"n\": 2}".getBytes(StandardCharsets.UTF_8)));

            Ended ended = driver.awaitEnd(run, WAIT);
            assertEquals("complete", ended.status());
            assertEquals(2, ended.data().path("output").path("shape").path("n").asInt(), ended.data().toString());
        }
    }
}
