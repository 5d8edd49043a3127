package io.ninetail.core.health;

import io.nats.client.Connection;
import io.ninetail.core.nats.NatsConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while JetStream answers on the NATS connection: without it an app can neither take
 * nor hand on work. Connected is not enough: just after a NATS restart, or on a wedged connection,
 * the connection is up and every JetStream request times out.
 */
@Readiness
@ApplicationScoped
public class NatsReadiness implements HealthCheck {

    private final NatsConnection nats;

    public NatsReadiness(NatsConnection nats) {
        this.nats = nats;
    }

    @Override
    public HealthCheckResponse call() {
        Connection connection = nats.get();
        Connection.Status status = connection.getStatus();
        boolean jetStream = nats.answersJetStream();
        return HealthCheckResponse.named("nats")
                .status(jetStream)
                .withData("status", status.name())
                .withData("jetstream", jetStream ? "answers" : "does not answer")
                .withData("server", String.valueOf(connection.getConnectedUrl()))
                .build();
    }
}
