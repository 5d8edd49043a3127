package io.ninetail.api;

import io.nats.client.Connection;
import io.ninetail.core.nats.NatsConnection;
import io.ninetail.testing.NatsServerResource;
import io.ninetail.testing.NatsServerResource.RunningNats;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The api across a NATS restart, as an operator restarting nats-server on its store would have it:
 * while NATS is gone, requests that need it answer 503 and the api is not ready; once it is back,
 * the api is ready again on the connection it had, and definitions and runs work.
 */
@QuarkusTest
@WithTestResource(NatsServerResource.class)
class NatsRestartTest {

    private static final Duration BACK = Duration.ofSeconds(30);

    /** This test's own server, which it stops and starts again. */
    RunningNats server;

    @Inject
    NatsConnection nats;

    /** The server started again, which the resource does not know about. */
    private static RunningNats startedAgain;

    @AfterAll
    static void stopNats() {
        if (startedAgain != null) {
            startedAgain.close();
        }
    }

    @Test
    void whileNatsIsDownRequestsAnswer503AndOnceItIsBackTheyWorkOnTheSameConnection() {
        register("before", "before-hook");
        Connection connection = nats.get();

        server.stop();

        await("the api saw NATS go").atMost(BACK).until(() -> nats.status() != Connection.Status.CONNECTED);
        given().get("/q/health/ready").then().statusCode(503);
        given().body(definition("during", "during-hook")).post("/workflows").then().statusCode(503)
                .contentType(Problem.MEDIA_TYPE).header("Retry-After", "1")
                .body("type", equalTo("https://ninetail.io/problems/nats-unavailable"));
        given().get("/workflows/before").then().statusCode(503).contentType(Problem.MEDIA_TYPE);

        startedAgain = server.startAgain();

        await("ready again").atMost(BACK).until(() -> given().get("/q/health/ready").statusCode() == 200);
        given().get("/workflows/before").then().statusCode(200).body("version", equalTo(1));
        register("after", "after-hook");
        String runId = given().body("{\"workflow\": " + definition("inline", "inline-hook") + ", \"input\": {}}")
                .post("/runs").then().statusCode(202).extract().path("runId");
        given().get("/runs/" + runId).then().statusCode(200).body("status", equalTo("PENDING"));
        assertSame(connection, nats.get(), "the connection the api had, reconnected: not a new one");
    }

    private static void register(String name, String path) {
        given().body(definition(name, path)).post("/workflows").then().statusCode(201);
    }

    private static String definition(String name, String path) {
        return """
                {"name": "%s", "blocks": [
                  {"id": "in", "type": "hook", "with": {"path": "%s"}},
                  {"id": "out", "type": "transform", "needs": ["in"], "with": {"value": 1}}]}
                """.formatted(name, path);
    }
}
