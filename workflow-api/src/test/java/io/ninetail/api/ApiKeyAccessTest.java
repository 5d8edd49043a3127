package io.ninetail.api;

import io.ninetail.testing.NatsServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** With API keys configured, /workflows and /runs need one; webhooks and health do not. */
@QuarkusTest
@TestProfile(ApiKeyAccessTest.WithKeys.class)
@WithTestResource(NatsServerResource.class)
class ApiKeyAccessTest {

    public static class WithKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ninetail.api.keys", "first-key,second-key", "quarkus.http.host", "0.0.0.0");
        }
    }

    @Test
    void workflowsAndRunsRefuseCallersWithoutAValidBearerKey() {
        given().get("/workflows").then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", "Bearer realm=\"ninetail\"")
                .body("type", equalTo(Problem.TYPE_BASE + "unauthorized"));
        given().header("Authorization", "Bearer first-ke").get("/runs").then().statusCode(401);
        given().header("Authorization", "Basic Zmlyc3Qta2V5").get("/runs").then().statusCode(401);
        given().header("Authorization", "Bearer first-key-and-more").post("/workflows").then().statusCode(401);
    }

    @Test
    void anyConfiguredKeyOpensWorkflowsAndRuns() {
        given().header("Authorization", "Bearer first-key").get("/workflows").then().statusCode(200);
        given().header("Authorization", "bearer second-key").get("/runs").then().statusCode(200);
    }

    @Test
    void webhooksAndHealthNeedNoKeyAndNonLoopbackCallersAreServed() {
        String outside = LoopbackOnlyAccessTest.nonLoopbackAddress();
        given().post("/hooks/nobody").then().statusCode(404).body("type", equalTo(Problem.TYPE_BASE + "unknown-hook"));
        given().get("/q/health/ready").then().statusCode(200);
        if (outside != null) {
            given().baseUri("http://" + outside).header("Authorization", "Bearer first-key").get("/workflows")
                    .then().statusCode(200);
        }
    }
}
