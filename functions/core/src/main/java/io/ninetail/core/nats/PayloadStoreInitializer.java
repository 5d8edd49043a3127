package io.ninetail.core.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.ObjectStoreManagement;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.StorageType;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;

/**
 * Creates the {@code payloads} object store when it is absent and leaves it alone when it is
 * present, as the messaging connector does for the streams and key-value buckets (it does not
 * manage object stores).
 */
@ApplicationScoped
public class PayloadStoreInitializer {

    private static final Logger LOG = Logger.getLogger(PayloadStoreInitializer.class);

    private final EventPublisher publisher;
    private final Duration retention;
    private final int replicas;

    public PayloadStoreInitializer(EventPublisher publisher,
                                   @ConfigProperty(name = "ninetail.retention", defaultValue = "P7D") Duration retention,
                                   @ConfigProperty(name = "ninetail.replicas", defaultValue = "1") int replicas) {
        this.publisher = publisher;
        this.retention = retention;
        this.replicas = replicas;
    }

    void onStart(@Observes StartupEvent event) throws IOException, JetStreamApiException {
        ObjectStoreManagement stores = publisher.connection().objectStoreManagement();
        if (stores.getBucketNames().contains(Topology.PAYLOADS_STORE)) {
            return;
        }
        stores.create(ObjectStoreConfiguration.builder(Topology.PAYLOADS_STORE)
                .description("Ninetail payloads too large for one message")
                .storageType(StorageType.File)
                .ttl(retention)
                .replicas(replicas)
                .build());
        LOG.infof("created object store %s (ttl %s, %d replicas)", Topology.PAYLOADS_STORE, retention, replicas);
    }
}
