package io.ninetail.testing;

import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JetStreamProbeTest {

    private static NatsServerResource.RunningNats nats;
    private static JetStreamProbe probe;

    @BeforeAll
    static void start() throws Exception {
        nats = NatsServerResource.startServer();
        probe = new JetStreamProbe(nats.url());
        probe.management().addStream(StreamConfiguration.builder().name("PROBE").subjects("p.>")
                .storageType(StorageType.Memory).build());
        for (String subject : new String[] {"p.a.x", "p.b.x", "p.a.y", "p.a.x"}) {
            probe.connection().jetStream().publish(subject, subject.getBytes(StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void stop() {
        probe.close();
        nats.close();
    }

    @Test
    void countsTheMessagesOfOneSubject() {
        assertEquals(2, probe.messagesOn("PROBE", "p.a.x"));
        assertEquals(0, probe.messagesOn("PROBE", "p.c.x"));
    }

    @Test
    void countsEverySubjectAWildcardMatches() {
        assertEquals(3, probe.messagesOn("PROBE", "p.*.x"));
        assertEquals(3, probe.messagesOn("PROBE", "p.a.>"));
        assertEquals(4, probe.messagesOn("PROBE", "p.>"));
    }
}
