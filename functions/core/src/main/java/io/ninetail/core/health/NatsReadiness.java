package io.ninetail.core.health;

import io.nats.client.Connection;
import io.ninetail.core.nats.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the NATS connection is up: without it an app can neither take nor hand on work. */
@Readiness
@ApplicationScoped
public class NatsReadiness implements HealthCheck {

    private final EventPublisher publisher;

    public NatsReadiness(EventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public HealthCheckResponse call() {
        Connection connection = publisher.connection();
        Connection.Status status = connection.getStatus();
        return HealthCheckResponse.named("nats")
                .status(status == Connection.Status.CONNECTED)
                .withData("status", status.name())
                .withData("server", String.valueOf(connection.getConnectedUrl()))
                .build();
    }
}
