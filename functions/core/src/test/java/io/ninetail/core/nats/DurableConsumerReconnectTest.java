package io.ninetail.core.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.ninetail.core.nats.DurableConsumer.Outcome;
import io.ninetail.testing.NatsServerResource;
import io.ninetail.testing.NatsServerResource.RunningNats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A restarted nats-server forgets every pull request. jnats' consume() would re-pull only after
 * its heartbeat alarm (3 idle heartbeats, 45 s by default) and not at all when that recovery
 * fails once; a {@link DurableConsumer} starts consuming afresh as soon as it has reconnected, and
 * its watch does so for a consumer that has lost its pull requests in any other way.
 */
class DurableConsumerReconnectTest {

    private RunningNats nats;
    private Connection connection;
    private DurableConsumer consumer;

    @AfterEach
    void stop() throws InterruptedException {
        if (consumer != null) {
            consumer.close();
        }
        if (connection != null) {
            connection.close();
        }
        nats.close();
    }

    private final List<String> handled = new CopyOnWriteArrayList<>();

    private void startWorker() throws Exception {
        nats = NatsServerResource.startServer();
        connection = Nats.connect(new Options.Builder().server(nats.url()).maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(100)).build());
        connection.jetStreamManagement().addStream(StreamConfiguration.builder().name("WORK").subjects("work.>")
                .storageType(StorageType.File).build());
        consumer = DurableConsumer.start(connection, "WORK", ConsumerConfiguration.builder().durable("worker")
                .ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofSeconds(5)).build(), 4, message -> {
                    handled.add(new String(message.getData(), StandardCharsets.UTF_8));
                    return CompletableFuture.completedFuture(Outcome.ACK);
                });
    }

    @Test
    void consumingResumesPromptlyAfterTheServerRestarts() throws Exception {
        startWorker();
        publish("work.1", "before");
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("before"));

        nats = nats.restart();
        await("reconnected").atMost(Duration.ofSeconds(20))
                .until(() -> connection.getStatus() == Connection.Status.CONNECTED);
        // JetStream may answer 503 for a moment while it recovers its streams. Published from a
        // connection of its own, as another process would: what is under test is the consumer's
        // connection, and a reconnected jnats connection may be slow to see its own replies again.
        try (Connection publisher = Nats.connect(nats.url())) {
            await("published after the restart").atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> publish(publisher, "work.2", "after"));
        }

        await("handled after the restart, before jnats' heartbeat alarm (45 s)").atMost(Duration.ofSeconds(25))
                .until(() -> handled.contains("after"));
        assertEquals(List.of("before", "after"), handled);
    }

    @Test
    void startKeepsAskingAJetStreamThatDoesNotAnswerUntilItDoes() throws Exception {
        nats = NatsServerResource.startServer();
        connection = Nats.connect(new Options.Builder().server(nats.url()).maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(100)).build());
        connection.jetStreamManagement().addStream(StreamConfiguration.builder().name("WORK").subjects("work.>")
                .storageType(StorageType.File).build());
        nats.stop();
        CompletableFuture<DurableConsumer> started = CompletableFuture.supplyAsync(() -> {
            try {
                return DurableConsumer.start(connection, "WORK", ConsumerConfiguration.builder().durable("worker")
                        .ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofSeconds(5)).build(), 4, message -> {
                            handled.add(new String(message.getData(), StandardCharsets.UTF_8));
                            return CompletableFuture.completedFuture(Outcome.ACK);
                        });
            } catch (IOException | JetStreamApiException e) {
                throw new IllegalStateException(e);
            }
        });

        // Longer than a JetStream request's timeout (2 s): a start that gave up would have failed by now.
        await("still trying while the server is away").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6))
                .until(() -> !started.isDone());
        nats = nats.startAgain();
        consumer = started.get(30, java.util.concurrent.TimeUnit.SECONDS);
        await("published once JetStream is back").atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> publish("work.1", "after"));

        await().atMost(Duration.ofSeconds(20)).until(() -> handled.contains("after"));
    }

    @Test
    void consumerThatLostItsPullRequestsIsStartedAfresh() throws Exception {
        startWorker();
        publish("work.1", "before");
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("before"));

        // As when jnats' own recovery fails: its subscription gone, nothing will pull again by itself.
        consumer.messageConsumer().close();
        publish("work.2", "after");

        await("handled by a fresh consumer, after two watches (5 s apart) found no pull request open")
                .atMost(Duration.ofSeconds(40)).until(() -> handled.contains("after"));
        assertEquals(List.of("before", "after"), handled);
    }

    /** With a message id: a publish that timed out but was stored after all is not stored twice when retried. */
    private boolean publish(String subject, String data) throws IOException, JetStreamApiException {
        return publish(connection, subject, data);
    }

    private static boolean publish(Connection through, String subject, String data)
            throws IOException, JetStreamApiException {
        through.jetStream().publish(subject, data.getBytes(StandardCharsets.UTF_8),
                PublishOptions.builder().messageId(subject).build());
        return true;
    }
}
