package io.ninetail.fetch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.ninetail.core.event.Event;
import io.ninetail.core.event.EventReader;
import io.ninetail.core.nats.Subjects.BlockAddress;
import io.ninetail.core.nats.Subjects.BlockLeg;
import io.ninetail.fetch.FetchCases.Result;
import io.ninetail.testing.JetStreamProbe;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One fetch input through either trigger of the running function: published on JetStream as the
 * scheduler sends it, or POSTed as a binary-mode CloudEvent as Knative Eventing delivers it.
 */
final class FetchTriggers implements AutoCloseable {

    enum Trigger { JETSTREAM, KNATIVE }

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** A reply must come within {@link #WAIT}, as a result on JetStream must (else: SocketTimeoutException). */
    private static final RestAssuredConfig BOUNDED = RestAssuredConfig.config().httpClient(HttpClientConfig
            .httpClientConfig().setParam("http.socket.timeout", (int) WAIT.toMillis()));

    private final JetStreamProbe nats;
    private final EventReader reader;
    private final ObjectMapper mapper;

    FetchTriggers(String natsUrl, EventReader reader, ObjectMapper mapper) {
        this.nats = new JetStreamProbe(natsUrl);
        this.reader = reader;
        this.mapper = mapper;
    }

    /** The result event of the input whose data is {@code with}. */
    Result run(Trigger trigger, String with) {
        return switch (trigger) {
            case JETSTREAM -> viaJetStream(with);
            case KNATIVE -> viaKnative(with);
        };
    }

    private Result viaJetStream(String with) {
        String runId = FetchEvents.newRunId();
        BlockAddress address = new BlockAddress("fetch", runId, "case");
        Subscription results = nats.subscribe("block.fetch." + runId + ".>");
        try {
            nats.publish(address.subject(BlockLeg.INPUT), FetchEvents.input(runId, "case", with));
            Message message = JetStreamProbe.nextResult(results, WAIT);
            Event event = reader.read(message);
            BlockLeg leg = event.type().endsWith(".error") ? BlockLeg.ERROR : BlockLeg.OUTPUT;
            assertEquals(address.subject(leg), message.getSubject(), "the result's subject matches its type");
            assertEquals(runId, event.runId());
            return new Result(event.type(), mapper.readTree(event.data()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            results.unsubscribe();
        }
    }

    private Result viaKnative(String with) {
        String runId = FetchEvents.newRunId();
        Response response = post(runId, with);
        try {
            return new Result(response.header("ce-type"), mapper.readTree(response.asByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response post(String runId, String with) {
        return given()
                .config(BOUNDED)
                .header("ce-specversion", "1.0")
                .header("ce-id", "in-" + runId)
                .header("ce-source", "/test")
                .header("ce-type", "block.fetch.input")
                .header("ce-runid", runId)
                .header("ce-blockid", "case")
                .contentType("application/json")
                .body(with)
        .when()
                .post("/")
        .then()
                .statusCode(200)
                .header("ce-runid", runId)
                .header("ce-blockid", "case")
                .extract().response();
    }

    @Override
    public void close() {
        nats.close();
    }
}
