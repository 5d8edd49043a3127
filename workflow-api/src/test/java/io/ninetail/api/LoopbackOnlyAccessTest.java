package io.ninetail.api;

import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Without API keys the api serves loopback only. The api listens on every interface here, and
 * the test calls it through one of this machine's other addresses: a caller that is not on
 * loopback, for real.
 */
@QuarkusTest
@TestProfile(LoopbackOnlyAccessTest.AllInterfaces.class)
@WithTestResource(NatsServerResource.class)
class LoopbackOnlyAccessTest {

    public static class AllInterfaces implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.host", "0.0.0.0",
                    "quarkus.log.file.enabled", "true", "quarkus.log.file.path", startLog().toString());
        }
    }

    /** The api's log, one file per test JVM: what it holds was logged by this start, not an earlier run's. */
    static Path startLog() {
        return Path.of("target", "loopback-only-access-" + ProcessHandle.current().pid() + ".log");
    }

    @Test
    void withoutKeysTheStartUpLogSaysThatOnlyLoopbackIsServed() {
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(startLog()) && Files.readString(startLog())
                .contains("No API keys are configured (ninetail.api.keys): accepting connections from loopback only"));
    }

    @Test
    void withoutKeysCallersFromOtherHostsAreRefusedExceptHealthChecks() {
        String outside = nonLoopbackAddress();
        assumeTrue(outside != null, "this machine has no address but loopback");

        given().baseUri("http://" + outside).get("/workflows").then().statusCode(403)
                .contentType(Problem.MEDIA_TYPE).body("type", equalTo(Problem.TYPE_BASE + "loopback-only"));
        given().baseUri("http://" + outside).post("/hooks/anything").then().statusCode(403);
        given().baseUri("http://" + outside).get("/q/metrics").then().statusCode(403);
        given().baseUri("http://" + outside).get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void withoutKeysLoopbackCallersNeedNoKey() {
        given().get("/workflows").then().statusCode(200);
    }

    /** An IPv4 address of this machine that is not loopback, or null. */
    static String nonLoopbackAddress() {
        try {
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!network.isUp() || network.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            return null;
        }
        return null;
    }
}
